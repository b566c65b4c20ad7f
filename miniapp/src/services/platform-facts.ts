// What the identity platform knows of the signed-in citizen (real-name data, the
// registered phone), asked once per sign-in rather than for every section of the
// form: each section is a page of its own, and on a slow network the next one
// should show at once.
import type { MeView } from '@flexins/shared';
import { api } from './api';
import { currentToken } from './session';

export interface PlatformFacts {
  me: MeView;
  /** The registered phone in full, for the card's recipient; absent when it could not be had. */
  phone?: string;
}

let known: (PlatformFacts & { token: string | undefined; withCard: boolean }) | undefined;

export async function platformFacts(withCard: boolean): Promise<PlatformFacts> {
  const token = currentToken();
  if (known && known.token === token && known.withCard === withCard) return known;
  const [me, phone] = await Promise.all([
    api.me(),
    // Only a convenience: without it the phone is typed.
    withCard
      ? api.ownPhone().then(
          (r) => r.phone,
          () => undefined,
        )
      : undefined,
  ]);
  known = { token, withCard, me, phone };
  return known;
}

/** Asked afresh next time (tests; another sign-in is told apart by its token anyway). */
export function forgetPlatformFacts(): void {
  known = undefined;
}
