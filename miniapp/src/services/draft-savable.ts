// What of a draft the server will keep, by the draft's precompiled validator. Loaded by
// saveNow (services/draft.ts) when a draft is first saved, not with every journey page.
import { describeSchemaErrors, DRAFT_SCHEMA, type ApplicationDraft } from '@flexins/shared';
import { validateDraft } from '../generated/validate-draft';

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
