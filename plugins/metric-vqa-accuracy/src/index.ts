export type { Dialect, VqaAccuracy } from './accuracy.js';
export { DIALECTS, vqaAccuracy as vqaAccuracyScore } from './accuracy.js';
export { exactMean, numpyMean, sequentialMean } from './mean.js';
export type { PunctuationRules } from './normalize.js';
export {
  cleanAnswer,
  evalAiAnswer,
  LMMS_EVAL_RULES,
  normalizeAnswer,
  OFFICIAL_RULES,
  processDigitArticle,
  processPunctuation,
  VLMEVALKIT_RULES,
} from './normalize.js';
export { default, default as vqaAccuracy } from './vqa-accuracy.js';
