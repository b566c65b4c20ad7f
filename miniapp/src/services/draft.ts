// The one form while it is being filled: kept on this device at every change
// and saved to the server (草稿) shortly after, so nothing typed is lost to a
// dropped network, a closed app or a change of phone.
import type { ApplicationDraft } from '@flexins/shared';
import { api } from './api';
import { KEYS, readStored, removeStored, writeStored } from './storage';

const LOCAL = KEYS.draft;
const SAVE_DELAY_MS = 800;
const RETRY_DELAY_MS = 5_000;

export type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'unsaved' };

let current: ApplicationDraft | undefined;
/** Whose draft `current` is: another person signing in on this phone must not see it. */
let currentOwner: string | undefined;

function mine(): ApplicationDraft | undefined {
  if (current && currentOwner !== readStored<string>(KEYS.owner)) current = undefined;
  return current;
}
let timer: ReturnType<typeof setTimeout> | undefined;
let status: SaveStatus = { kind: 'idle' };
const listeners = new Set<(status: SaveStatus) => void>();

function setStatus(next: SaveStatus) {
  status = next;
  for (const listener of listeners) listener(next);
}

export function saveStatus(): SaveStatus {
  return status;
}

export function onSaveStatus(listener: (status: SaveStatus) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The draft: this device's copy if it has one (it is never older), else the server's. */
export async function loadDraft(): Promise<ApplicationDraft> {
  const held = mine();
  if (held) return held;
  currentOwner = readStored<string>(KEYS.owner);
  const local = readStored<ApplicationDraft>(LOCAL);
  if (local) {
    current = local;
    return current;
  }
  const { draft } = await api.loadDraft();
  current = mine() ?? draft ?? {};
  return current;
}

export function draftNow(): ApplicationDraft {
  return mine() ?? readStored<ApplicationDraft>(LOCAL) ?? {};
}

export async function saveNow(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const draft = current;
  if (!draft) return;
  setStatus({ kind: 'saving' });
  try {
    // The draft's validator (26 KB) comes down with the first save, not with every journey page.
    const { savable } = await import('./draft-savable');
    const { savedAt } = await api.saveDraft(savable(draft));
    setStatus({ kind: 'saved', at: savedAt });
  } catch {
    setStatus({ kind: 'unsaved' });
    timer = setTimeout(() => void saveNow(), RETRY_DELAY_MS);
  }
}

export function updateDraft(change: (draft: ApplicationDraft) => ApplicationDraft): ApplicationDraft {
  current = change(draftNow());
  currentOwner = readStored<string>(KEYS.owner);
  writeStored(LOCAL, current);
  // Said at once, so nobody reads "saved" about an older version.
  setStatus({ kind: 'saving' });
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void saveNow(), SAVE_DELAY_MS);
  return current;
}

/** After submission: the case holds it now. */
export function forgetDraft(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  current = undefined;
  removeStored(LOCAL);
  setStatus({ kind: 'idle' });
}
