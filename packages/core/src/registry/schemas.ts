import { z } from '@vhb/sdk';
import { isVersionRange } from './version-range.js';

/** What every registry entry name must look like. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must start with a letter or digit and hold only letters, digits, "_", "." and "-"');

const optionsSchema = z.record(z.string(), z.unknown());
const names = z.array(nameSchema);

// ---------- packages ----------

export const dependencySourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    /** Folder of the package, relative to the project root. */
    path: z.string().min(1),
  }),
  z.strictObject({
    type: z.literal('git'),
    url: z.string().min(1),
    /** Branch, tag or commit. */
    ref: z.string().min(1).default('HEAD'),
    /** Folder of the package inside the repository, for monorepos. */
    subdirectory: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('npm'),
    package: z.string().min(1),
    version: z.string().refine(isVersionRange, 'must be a semver range (^1.2.0, >=1 <2) or a dist-tag (latest)').default('latest'),
    /** npm registry to install from, instead of the project's. */
    registry: z.url().optional(),
  }),
]);
export type DependencySource = z.infer<typeof dependencySourceSchema>;

export const PACKAGE_KINDS = ['task', 'dataset', 'adapter', 'metric', 'reporter'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];

export const packageEntrySchema = z.strictObject({
  name: nameSchema,
  /** Which plugin kind the package provides; when set, entries naming the package are checked against it. */
  kind: z.enum(PACKAGE_KINDS).optional(),
  description: z.string().optional(),
  source: dependencySourceSchema,
});
export type PackageEntry = z.infer<typeof packageEntrySchema>;

// ---------- tasks, models, datasets, prompts, metrics, reports ----------

/** A task type (ocr, vqa, ...): the first level of the task registry. */
export const mlTaskSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Package entry of the task plugin. */
  package: nameSchema,
  /** Other package entries the task needs installed. */
  requires: names.optional(),
  supported_metrics: names,
  default_prompt: z.string().optional(),
  /** Options of the task plugin (checked against its own schema at run time), e.g. classification labels. */
  options: z.record(z.string(), z.unknown()).optional(),
});
export type MLTask = z.infer<typeof mlTaskSchema>;

export const modelResourcesSchema = z.strictObject({
  type: z.enum(['cpu', 'gpu', 'io']),
  cpus: z.number().positive().optional(),
  memory_mb: z.number().positive().optional(),
  gpu_memory_mb: z.number().nonnegative().optional(),
  model: z.string().optional(),
  backend: z.string().optional(),
});

export const modelSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Package entry of the adapter plugin. */
  adapter: nameSchema,
  framework: z.string().optional(),
  model_id: z.string().optional(),
  endpoint: z.string().optional(),
  image: z.string().optional(),
  /** Adapter options, validated by the adapter's own schema. */
  options: optionsSchema.optional(),
  resources: modelResourcesSchema.optional(),
});
export type Model = z.infer<typeof modelSchema>;

export const datasetSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Package entry of the dataset iterator plugin. */
  package: nameSchema,
  /** Folder of the dataset, relative to the project root. */
  path: z.string().min(1),
  options: optionsSchema.optional(),
  languages: z.array(z.string()).optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const promptSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  system: z.string().optional(),
  user: z.string(),
});
export type Prompt = z.infer<typeof promptSchema>;

export const metricSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  package: nameSchema,
  options: optionsSchema.optional(),
});
export type Metric = z.infer<typeof metricSchema>;

export const reportSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  package: nameSchema,
  options: optionsSchema.optional(),
});
export type Report = z.infer<typeof reportSchema>;

// ---------- runs and experiments ----------

/** `anls`, or `anls@2` to pin algorithm version 2. */
export const METRIC_REF_PATTERN = /^([A-Za-z0-9][A-Za-z0-9_.-]*?)(?:@(\d+))?$/;

export const runMetricSchema = z.union([
  z.string().regex(METRIC_REF_PATTERN, 'must be a metric name, optionally pinned to an algorithm version: "anls" or "anls@2"'),
  z.strictObject({
    name: nameSchema,
    /** Pins the metric's algorithmVersion; the run fails if the package provides no such version. */
    version: z.number().int().positive().optional(),
    /** The peer whose computation to reproduce (`lmms-eval`, `vlmevalkit`, ...); passed to the metric as options.dialect. */
    dialect: z.string().min(1).optional(),
    options: optionsSchema.optional(),
  }),
]);
export type RunMetric = z.infer<typeof runMetricSchema>;

/** A run's metric reference in one shape: name, pinned version, options (dialect folded in). */
export interface MetricRef {
  name: string;
  version?: number;
  options?: Record<string, unknown>;
}

/** Reads `anls`, `anls@2` or `{ name, version, dialect, options }` into one shape. */
export function parseMetricRef(ref: RunMetric): MetricRef {
  if (typeof ref !== 'string') {
    const options = ref.dialect === undefined ? ref.options : { ...ref.options, dialect: ref.dialect };
    return { name: ref.name, ...(ref.version === undefined ? {} : { version: ref.version }), ...(options ? { options } : {}) };
  }
  const [, name = ref, version] = METRIC_REF_PATTERN.exec(ref) ?? [];
  return version === undefined ? { name } : { name, version: Number(version) };
}

export const generationSchema = z.strictObject({
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
});

/** One model on one dataset with some metrics: the second level of the task registry. */
export const runTaskSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  task: nameSchema,
  model: nameSchema,
  dataset: nameSchema,
  prompt: nameSchema.optional(),
  /** Task plugin options for this run, merged over the task entry's `options`. */
  task_options: z.record(z.string(), z.unknown()).optional(),
  metrics: z.array(runMetricSchema).optional(),
  reports: names.optional(),
  generation: generationSchema.optional(),
  /** Each entry is one grouping: a field, or several fields grouped together. */
  group_by: z.array(z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  /** Only the first N items of the dataset. */
  limit: z.number().int().positive().optional(),
});
export type RunTask = z.infer<typeof runTaskSchema>;

export const experimentPlanSchema = z.strictObject({
  name: nameSchema,
  title: z.string().optional(),
  description: z.string().optional(),
  /** How many runs execute at once. */
  parallelism: z.number().int().min(1).default(1),
  runs: names.min(1),
  reports: names.optional(),
});
export type ExperimentPlan = z.infer<typeof experimentPlanSchema>;

// ---------- kinds ----------

/** Registry kinds; each is a folder under the registries folder. */
export const REGISTRY_KINDS = ['packages', 'tasks', 'models', 'datasets', 'prompts', 'metrics', 'reports', 'runs', 'experiments'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export const registryEntrySchemas = {
  packages: packageEntrySchema,
  tasks: mlTaskSchema,
  models: modelSchema,
  datasets: datasetSchema,
  prompts: promptSchema,
  metrics: metricSchema,
  reports: reportSchema,
  runs: runTaskSchema,
  experiments: experimentPlanSchema,
} as const;

/** The entry type of each kind. */
export type RegistryEntries = { [K in RegistryKind]: z.infer<(typeof registryEntrySchemas)[K]> };

/** How messages name one entry of a kind (`dataset "x" is not defined`). */
export const KIND_LABELS: Record<RegistryKind, string> = {
  packages: 'package',
  tasks: 'task',
  models: 'model',
  datasets: 'dataset',
  prompts: 'prompt',
  metrics: 'metric',
  reports: 'report',
  runs: 'run',
  experiments: 'experiment',
};
