import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, messageOf } from './http';
import { replace, ROUTES } from './nav';

export interface Remote<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => Promise<void>;
  set: (data: T) => void;
}

/** Loads something for a page; a lapsed sign-in goes back to the entry page. */
export function useRemote<T>(load: () => Promise<T>): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const data = await loadRef.current();
      setState({ data, loading: false });
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') {
        replace(ROUTES.entry);
        return;
      }
      setState((s) => ({ ...s, loading: false, error: messageOf(err) }));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload, set: (data: T) => setState({ data, loading: false }) };
}
