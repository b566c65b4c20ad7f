// 长辈版: larger type and controls. The citizen switches it on any page; the
// host app may ask for it by opening us with ?elderly=1. Kept on the device.
import { useEffect, useState } from 'react';
import { KEYS, readStored, writeStored } from './storage';

const KEY = KEYS.elderly;
const listeners = new Set<(on: boolean) => void>();

export function elderlyMode(): boolean {
  return readStored<boolean>(KEY) === true;
}

export function setElderlyMode(on: boolean): void {
  writeStored(KEY, on);
  for (const listener of listeners) listener(on);
}

/** Honours the host's request (?elderly=1 / ?elderly=0) on any page. */
export function applyHostRequest(params: Record<string, string | undefined>): void {
  if (params.elderly === '1') setElderlyMode(true);
  else if (params.elderly === '0') setElderlyMode(false);
}

export function useElderlyMode(): boolean {
  const [on, setOn] = useState(elderlyMode);
  useEffect(() => {
    listeners.add(setOn);
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return on;
}
