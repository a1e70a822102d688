// Who shows which article, from the project's presence events (docs/live.md): pure, so the
// hooks and the tests share it.
import type { LiveEvent } from "../../lib/live";

/** username -> the article they show. */
export type Presence = ReadonlyMap<string, number>;

export const NO_ONE: Presence = new Map();

export function presenceReducer(state: Presence, event: LiveEvent): Presence {
  if (event.type === "reconnected") return NO_ONE; // the others announce themselves again
  if (event.type !== "presence" || typeof event.user !== "string" || typeof event.article !== "number") return state;
  const next = new Map(state);
  if (event.state === "open") next.set(event.user, event.article);
  else if (next.get(event.user) === event.article) next.delete(event.user);
  return next;
}

/** The users (but ``me``) showing ``article``, sorted. */
export function presentOn(state: Presence, article: number, me: string | undefined): string[] {
  return [...state].filter(([user, at]) => at === article && user !== me).map(([user]) => user).sort();
}
