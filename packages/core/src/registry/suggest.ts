import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate nearest to `name`, when it is near enough to be a likely typo: at most one edit
 * per three characters (so `synthdoc-4O` finds `synthdoc-40`, but `cer` does not find `bleu`).
 */
export function closestWithin(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, candidates);
  const allowed = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return distance(name, best) <= allowed ? best : undefined;
}
