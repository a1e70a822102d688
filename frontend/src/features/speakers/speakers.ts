// The Speakers page's rules, pure: what moving a spelling from one speaker to another asks of
// the API (PATCH replaces a speaker's other spellings as a whole), and reading a typed list.
import type { Speaker } from "../../lib/api/speakers";

/** A speaker's spellings other than its name (what PATCH's `spellings` replaces). */
export function otherSpellings(speaker: Speaker): string[] {
  return speaker.spellings.filter((s) => s !== speaker.name);
}

/** The PATCHes that make `spelling` name the speaker `toId` (null: none), in the order to send
 * them: off its old speaker first, since a spelling names one speaker at a time. A speaker's own
 * name cannot move (rename the speaker instead): that gives null. */
export function moveSpelling(
  list: readonly Speaker[],
  spelling: string,
  toId: number | null,
): { id: number; spellings: string[] }[] | null {
  const from = list.find((s) => s.spellings.includes(spelling));
  if (from?.id === toId) return [];
  if (from && from.name === spelling) return null;
  const patches: { id: number; spellings: string[] }[] = [];
  if (from) patches.push({ id: from.id, spellings: otherSpellings(from).filter((s) => s !== spelling) });
  const to = list.find((s) => s.id === toId);
  if (to) patches.push({ id: to.id, spellings: [...otherSpellings(to), spelling] });
  return patches;
}

/** One spelling per line, whitespace collapsed as the server does, blanks and repeats dropped. */
export function parseSpellings(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split("\n")) {
    const clean = line.split(/\s+/).filter(Boolean).join(" ");
    if (clean) seen.add(clean);
  }
  return [...seen];
}
