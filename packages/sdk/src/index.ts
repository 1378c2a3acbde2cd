export { z } from 'zod';
export type { BootstrapOptions } from './aggregate/bootstrap.js';
export { BOOTSTRAP_DEFAULTS, bootstrapCi } from './aggregate/bootstrap.js';
export { promptCounts } from './aggregate/group.js';
export { deriveSeed, mulberry32 } from './aggregate/random.js';
export { worstItems } from './aggregate/worst.js';
export type { PluginKind, PluginMeta, Resources } from './contract.js';
export { CONTRACT_VERSION, PLUGIN_KINDS } from './contract.js';
export type {
  DatasetItem,
  GenerationRequest,
  GenerationResult,
  GenerationSettings,
  MetricRecord,
  PredictionRecord,
  Timing,
} from './data.js';
export { datasetItemSchema, generationSettingsSchema } from './data.js';
export type { DatasetFileCheck, ImageCheck } from './dataset-paths.js';
export { isInside, resolveDatasetFile, resolveImage } from './dataset-paths.js';
export type { DatasetSelection } from './dataset-select.js';
export { datasetSelectionSchema, selectItems } from './dataset-select.js';
export type { PluginSpec } from './define.js';
export { defineAdapter, defineDataset, defineMetric, defineReporter, defineTask } from './define.js';
export type { RetryAdvice } from './errors.js';
export { isVhbError, noReferenceError, parseRetryAfter, retryAdviceOf, sdkErrorCodes, VhbError } from './errors.js';
export {
  generationRequestSchema,
  generationResultSchema,
  itemScoreSchema,
  kindSchemas,
  metricInputSchema,
  reportFilesSchema,
  runSummarySchema,
  timingSchema,
} from './io-schemas.js';
export { pluginJsonSchemas } from './json-schema.js';
export { forEachLimited } from './limit.js';
export type { MetricBinIo } from './metric-bin.js';
export { runMetricBin } from './metric-bin.js';
export type {
  AdapterContext,
  AdapterPlugin,
  AdapterSession,
  AggregateResult,
  AnyPlugin,
  DatasetPlugin,
  DatasetSource,
  ItemScore,
  Logger,
  MetricPlugin,
  ModelInfo,
  PluginByKind,
  PluginContext,
  PromptTemplate,
  ReporterPlugin,
  ReportFile,
  ScoredItem,
  ScorePart,
  TaskPlugin,
} from './plugins.js';
export type { PromptCondition, PromptContext, PromptRule, PromptScalar, PromptTie, PromptWhen } from './prompt.js';
export {
  bindRunVariables,
  conditionKey,
  findPromptTies,
  normaliseWhen,
  PROMPT_VARIABLES,
  promptErrorCodes,
  renderPrompt,
  renderTemplate,
  ruleMatches,
  selectPrompt,
  specificity,
  templateVariables,
  VARIABLE_HINT,
  variableProblem,
} from './prompt.js';
export type { CachedResponse, ResponseKeyParts } from './run/cache.js';
export { canonicalJson, fileSha256, RESPONSE_CACHE_VERSION, ResponseCache, requestKeyParts, responseKey } from './run/cache.js';
export type { MetricUse, ScoreError, ScoreTable } from './run/evaluation.js';
export { metricId, scoreItems, summariseGroups, summariseMetrics } from './run/evaluation.js';
export type { ExecuteOptions } from './run/execute.js';
export { executeRun, RESULT_FILES } from './run/execute.js';
export { ITEM_TIMEOUT, NO_PROMPT, readPredictions } from './run/inference.js';
export { readJsonl } from './run/jsonl.js';
export { ModelLimiter } from './run/limiter.js';
export { parseOptions } from './run/options.js';
export type { InferencePolicy } from './run/retry.js';
export { backoffDelay, INFERENCE_DEFAULTS, inferencePolicy } from './run/retry.js';
export type { InferenceSpec, RunEvent, RunFile, RunPlugins, RunSpec, SyncEvent, SyncFileStatus } from './run/spec.js';
export { inferenceSpecSchema, runFileSchema, runSpecSchema } from './run/spec.js';
export { runTaskBin } from './run/task-bin.js';
export { mean, npSum, percentile, percentiles, sumDetails, summariseTimes } from './stats.js';
export type { GroupRow, GroupScore, GroupSummary, MetricSummary, RunSummary, TimingSummary, WorstItem, WorstItems } from './summary.js';
export type { AlignCounts } from './text/align.js';
export { alignCounts } from './text/align.js';
export { codePoints } from './text/code-points.js';
export { editDistance, levenshtein } from './text/distance.js';
export type { ErrorRateTotals } from './text/error-rate.js';
export { corpusErrorRate, corpusErrorRateResult, errorRate } from './text/error-rate.js';
export { ngramCounts, Vocabulary } from './text/ngrams.js';
export { isPyWhitespace, PY_WHITESPACE, pyCaseFold, pySplit, pyStrip } from './text/python-str.js';
export { squadNormalize } from './text/squad.js';
export type { PluginCheck } from './verify.js';
export { checkPlugin } from './verify.js';
