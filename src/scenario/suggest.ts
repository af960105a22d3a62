/** "Did you mean" hints for near-miss names (keys, function names, enum values). */
import { distance } from 'fastest-levenshtein';

/** The closest candidate when it is near enough to be a likely typo, else undefined. */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** ` (did you mean "x"?)`, or an empty string when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closestName(word, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
