export type { Diagnostic, SourcePosition } from './diagnostics.js';
export { formatDiagnostic, hasErrors } from './diagnostics.js';
export { registryJsonSchemas } from './json-schema.js';
export type { FailedEntry, LoadedEntry } from './load-kind.js';
export type { Located, RegistryLoadOptions } from './manager.js';
export { RegistryManager } from './manager.js';
export { applyOverlay } from './merge.js';
export type { Reference } from './references.js';
export { referencesOf } from './references.js';
export type {
  Dataset,
  DependencySource,
  ExperimentPlan,
  Metric,
  MetricRef,
  MLTask,
  Model,
  PackageEntry,
  PackageKind,
  Prompt,
  PromptRuleEntry,
  RegistryEntries,
  RegistryKind,
  Report,
  RunMetric,
  RunTask,
} from './schemas.js';
export {
  datasetSchema,
  dependencySourceSchema,
  experimentPlanSchema,
  generationSchema,
  KIND_LABELS,
  METRIC_REF_PATTERN,
  metricSchema,
  mlTaskSchema,
  modelResourcesSchema,
  modelSchema,
  NAME_PATTERN,
  nameSchema,
  PACKAGE_KINDS,
  packageEntrySchema,
  parseMetricRef,
  promptRuleSchema,
  promptSchema,
  REGISTRY_KINDS,
  registryEntrySchemas,
  reportSchema,
  runMetricSchema,
  runTaskSchema,
} from './schemas.js';
export { closestWithin } from './suggest.js';
export { isVersionRange } from './version-range.js';
export type { FieldPath } from './yaml-file.js';
