// The one form while it is being filled: kept on this device at every change
// and saved to the server (草稿) shortly after, so nothing typed is lost to a
// dropped network, a closed app or a change of phone.
import { describeSchemaErrors, DRAFT_SCHEMA, type ApplicationDraft } from '@flexins/shared';
import { validateDraft } from '../generated/validators';
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

function withoutPath(draft: ApplicationDraft, path: string): ApplicationDraft {
  const copy = JSON.parse(JSON.stringify(draft)) as Record<string, unknown>;
  const segments = path.split('.');
  let node: Record<string, unknown> | undefined = copy;
  for (const segment of segments.slice(0, -1)) node = node?.[segment] as Record<string, unknown> | undefined;
  if (node) delete node[segments[segments.length - 1]!];
  return copy as ApplicationDraft;
}

/** What the server will keep: a half-typed phone number is not valid even in a draft, so it waits here. */
export function savable(draft: ApplicationDraft): ApplicationDraft {
  let candidate = draft;
  for (let i = 0; i < 20 && !validateDraft(candidate); i++) {
    const paths = Object.keys(describeSchemaErrors(DRAFT_SCHEMA, validateDraft.errors ?? []));
    if (paths.length === 0) break;
    for (const path of paths) candidate = withoutPath(candidate, path);
  }
  return candidate;
}

export async function saveNow(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (!current) return;
  setStatus({ kind: 'saving' });
  try {
    const { savedAt } = await api.saveDraft(savable(current));
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
