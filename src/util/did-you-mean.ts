/**
 * @fileoverview "Did you mean …?" for ids typed by hand (rule ids, transform ids, report
 * formats, configuration keys): the closest candidate by edit distance (fastest-levenshtein),
 * case-insensitively, when it is close enough to be a typo rather than another word.
 */
import { distance } from 'fastest-levenshtein';

/** The candidate `input` was probably meant to be, or undefined. */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const d = distance(wanted, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best === undefined) return undefined;
  // A third of the longer word, at least 1 and at most 3 edits: `tmp-path` -> `tmp-paths`,
  // `jsn` -> `json`, but never `json` -> `text`.
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, best.length) / 3)));
  if (bestDistance <= limit) return best;
  // Else an unambiguous prefix: `shared-tmp` is `shared-tmp-path`, `shared` is nothing.
  const extending = wanted.length >= 4 ? list.filter((c) => c.toLowerCase().startsWith(wanted)) : [];
  return extending.length === 1 ? extending[0] : undefined;
}

/** ` Did you mean \`x\`?` for a message, or ''. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` Did you mean \`${match}\`?`;
}
