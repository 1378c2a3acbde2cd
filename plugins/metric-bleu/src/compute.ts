import { exp, log } from './exact-math.js';

/** sacrebleu's smoothing methods (Chen & Cherry 2014): none, floor (method 1), add-k (method 2), exp (method 3, NIST). */
export type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

/** The value `floor` and `add-k` use when none is given, as `BLEU.SMOOTH_DEFAULTS`. */
export const SMOOTH_DEFAULTS = { floor: 0.1, 'add-k': 1 } as const;

/** How `computeBleu` turns statistics into a score. */
export interface ComputeOptions {
  smoothMethod: SmoothMethod;
  /** For `floor` and `add-k`; their default when undefined. */
  smoothValue?: number | undefined;
  /** Averages over the orders the hypothesis has n-grams of, instead of all `maxNgramOrder`. */
  effectiveOrder: boolean;
  maxNgramOrder: number;
  /**
   * Sum the logs as CPython ≥ 3.12's `sum()` does (Neumaier's compensated summation) instead of
   * left to right as CPython ≤ 3.11 does; the two can differ in the last bit of the score.
   */
  compensatedSum?: boolean | undefined;
}

/** A BLEU score and its parts, as sacrebleu's `BLEUScore` holds them (0–100 scale). */
export interface BleuResult {
  score: number;
  /** Matched n-grams per order (after add-k smoothing, as sacrebleu reports them). */
  counts: number[];
  /** Hypothesis n-grams per order (after add-k smoothing). */
  totals: number[];
  /** Per-order precisions, in percent. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sysLen: number;
  refLen: number;
  /** sysLen / refLen, 0 when refLen is 0. */
  ratio: number;
}

/** `sacrebleu.utils.my_log`: the natural log, with log(0) floored to -9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : log(x);
}

/**
 * `BLEU.compute_bleu`, line by line: BLEU from its sufficient statistics.
 *
 * - Brevity penalty: 1 when sysLen ≥ refLen, else exp(1 − refLen / sysLen), 0 when sysLen is 0.
 * - No match of any order: the score is 0 (sacrebleu #141), whatever the smoothing.
 * - For n = 1..maxNgramOrder, stopping at the first order without hypothesis n-grams (after
 *   add-k, which adds k to matches and totals of orders n ≥ 2): p_n = 100·correct/total; when
 *   correct is 0, `exp` gives 100 / (2^k · total) for the k-th such order, `floor` gives
 *   100·value / total, `none` and `add-k` leave 0.
 * - score = bp · exp(Σ log p_n / N) over the first N orders: N = maxNgramOrder, or with
 *   effective order the last order reached; log 0 counts as −9999999999, which makes it 0.
 *
 * log and exp are correctly rounded (./exact-math.ts), as the C library's are that CPython calls.
 */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  options: ComputeOptions,
): BleuResult {
  const { smoothMethod, effectiveOrder, maxNgramOrder } = options;
  const smoothValue = options.smoothValue ?? (smoothMethod === 'floor' || smoothMethod === 'add-k' ? SMOOTH_DEFAULTS[smoothMethod] : 0);
  const correct = correctIn.slice();
  const total = totalIn.slice();

  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? exp(1 - refLen / sysLen) : 0.0;

  const precisions = new Array<number>(maxNgramOrder).fill(0);
  const result = (score: number): BleuResult => ({
    score,
    counts: correct,
    totals: total,
    precisions,
    bp,
    sysLen,
    refLen,
    ratio: refLen ? sysLen / refLen : 0,
  });
  if (!correct.some((c) => c !== 0)) return result(0.0);

  let smoothMteval = 1.0;
  let effOrder = maxNgramOrder;
  for (let n = 1; n <= maxNgramOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] = (correct[n - 1] as number) + smoothValue;
      total[n - 1] = (total[n - 1] as number) + smoothValue;
    }
    const t = total[n - 1] as number;
    if (t === 0) break;
    if (effectiveOrder) effOrder = n;
    const c = correct[n - 1] as number;
    if (c === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  const logs = pySum(precisions.slice(0, effOrder).map(myLog), options.compensatedSum ?? false);
  return result(bp * exp(logs / effOrder));
}

/**
 * Python's `sum()` of a list of floats: left to right in CPython ≤ 3.11; CPython ≥ 3.12 adds
 * Neumaier's running compensation and adds it at the end when it is non-zero and finite.
 */
export function pySum(values: readonly number[], compensated: boolean): number {
  let sum = 0;
  let c = 0;
  for (const x of values) {
    const t = sum + x;
    if (compensated) c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return c !== 0 && Number.isFinite(c) ? sum + c : sum;
}
