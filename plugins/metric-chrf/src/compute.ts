/** How chrF turns statistics into a score: sacrebleu's `CHRF` parameters. */
export interface ChrfParams {
  /** Weight of recall against precision; 2 in chrF2. */
  beta: number;
  /** chrF++.py-style smoothing (sacrebleu `eps_smoothing=True`) instead of the effective-order average. */
  epsSmoothing: boolean;
}

/** chrF++.py's epsilon, for orders with no hypothesis or no reference n-grams. */
const EPS = 1e-16;

/**
 * `CHRF._compute_f_score`, line by line: chrF (0–100) from `[hyp, ref, match]` counts, three per
 * order (character orders first, then word orders).
 *
 * - Default (sacrebleu ≥ 2 without `eps_smoothing`, the sacreBLEU 1.x behaviour): average the
 *   precisions match/hyp and recalls match/ref over the orders with hyp > 0 and ref > 0 only, then
 *   F_β = (1 + β²)·P·R / (β²·P + R); 0 when P + R is 0.
 * - `epsSmoothing`: the mean over every order of that order's F_β, with precision or recall ε = 1e-16
 *   when its denominator is 0, and ε for an order whose β²·P + R is 0.
 */
export function computeChrf(statistics: readonly number[], { beta, epsSmoothing }: ChrfParams): number {
  const order = statistics.length / 3;
  const factor = beta ** 2;
  let score = 0.0;
  let effectiveOrder = 0;
  let avgPrec = 0.0;
  let avgRec = 0.0;
  for (let i = 0; i < order; i++) {
    const nHyp = statistics[3 * i] as number;
    const nRef = statistics[3 * i + 1] as number;
    const nMatch = statistics[3 * i + 2] as number;
    const prec = nHyp > 0 ? nMatch / nHyp : EPS;
    const rec = nRef > 0 ? nMatch / nRef : EPS;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : EPS;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0.0;
    avgRec = 0.0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    let f = (1 + factor) * avgPrec * avgRec;
    f /= factor * avgPrec + avgRec;
    return 100 * f;
  }
  return 0.0;
}
