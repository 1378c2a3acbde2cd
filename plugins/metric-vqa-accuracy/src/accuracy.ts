import { exactMean, numpyMean, sequentialMean } from './mean.js';
import {
  cleanAnswer,
  evalAiAnswer,
  LMMS_EVAL_RULES,
  normalizeAnswer,
  OFFICIAL_RULES,
  processDigitArticle,
  processPunctuation,
  VLMEVALKIT_RULES,
} from './normalize.js';

/** The peers whose VQA accuracy the metric reproduces; the first is the default. */
export const DIALECTS = ['official', 'lmms-eval', 'lmms-eval-textvqa', 'vlmevalkit'] as const;

export type Dialect = (typeof DIALECTS)[number];

/** One question's VQA accuracy, with what it was computed from. */
export interface VqaAccuracy {
  /** The mean over the leave-one-out subsets of min(#matching answers among the others / 3, 1). */
  score: number;
  /** How many reference answers equal the prediction once both are normalised. */
  matches: number;
  /** The prediction as it was compared. */
  prediction: string;
  /** The reference answers as they were compared. */
  references: string[];
}

interface Prepared {
  prediction: string;
  references: string[];
  mean: (values: readonly number[]) => number;
}

/** Each dialect's normalisation of the prediction and the answers, and its way of averaging. */
const prepare: Record<Dialect, (prediction: string, references: readonly string[]) => Prepared> = {
  // GT-Vision-Lab/VQA vqaEval.py: answers are normalised only when the humans disagree; when all
  // answers are the same string, prediction and answers are compared as they are (trimmed).
  official(prediction, references) {
    const cleaned = references.map(cleanAnswer);
    const prepared = cleanAnswer(prediction);
    if (new Set(cleaned).size <= 1) return { prediction: prepared, references: cleaned, mean: sequentialMean };
    const normalize = (text: string) => processDigitArticle(processPunctuation(text, OFFICIAL_RULES));
    return { prediction: normalize(prepared), references: cleaned.map(normalize), mean: sequentialMean };
  },
  // lmms-eval tasks/vqav2/utils.py (since its 2025 fixes #760 and #794): always normalised.
  'lmms-eval'(prediction, references) {
    const normalize = (text: string) => normalizeAnswer(text, LMMS_EVAL_RULES);
    return { prediction: normalize(prediction), references: references.map(normalize), mean: exactMean };
  },
  // lmms-eval tasks/textvqa/utils.py: EvalAIAnswerProcessor()(text) on the prediction and every answer.
  'lmms-eval-textvqa'(prediction, references) {
    return { prediction: evalAiAnswer(prediction), references: references.map(evalAiAnswer), mean: exactMean };
  },
  // VLMEvalKit vlmeval/dataset/utils/vqa_eval.py process_line(method='vqa_score'): always normalised.
  vlmevalkit(prediction, references) {
    const normalize = (text: string) => normalizeAnswer(text, VLMEVALKIT_RULES);
    return { prediction: normalize(prediction), references: references.map(normalize), mean: numpyMean };
  },
};

/**
 * VQA accuracy of one prediction against its human answers (ten in VQAv2 and TextVQA): for each
 * answer i, the other answers that equal the prediction are counted, and min(count / 3, 1) is the
 * accuracy against that subset; the score is the mean over all subsets. With ten answers, 1, 2 and 3
 * matches score 0.3, 0.6 and 0.9, and four or more score 1. Any number of answers is accepted, as every
 * peer's code accepts it, but fewer than four can never score 1 (one answer always scores 0).
 */
export function vqaAccuracy(prediction: string, references: readonly string[], dialect: Dialect = 'official'): VqaAccuracy {
  const prepared = prepare[dialect](prediction, references);
  const equal = prepared.references.map((answer) => answer === prepared.prediction);
  const matches = equal.filter(Boolean).length;
  const accuracies = equal.map((match) => Math.min(1, (matches - (match ? 1 : 0)) / 3));
  return { score: meanOf(prepared.mean, accuracies, matches), matches, prediction: prepared.prediction, references: prepared.references };
}

/** Exact means by (answers, matches): the exact mean does not depend on the order, so it is computed once per pair. */
const exactMeans = new Map<string, number>();

function meanOf(mean: Prepared['mean'], accuracies: readonly number[], matches: number): number {
  if (mean !== exactMean) return mean(accuracies);
  const key = `${accuracies.length}:${matches}`;
  let value = exactMeans.get(key);
  if (value === undefined) {
    value = exactMean(accuracies);
    if (exactMeans.size < 10_000) exactMeans.set(key, value);
  }
  return value;
}
