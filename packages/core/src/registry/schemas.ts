import { datasetSelectionSchema, z } from '@vhb/sdk';
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

const promptScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * One prompt rule: the prompt for the items its `when` matches. `when` keys: `task`, `model`,
 * `dataset` (the run's names) and item metadata keys (`doc_type`, or `metadata.doc_type`); each
 * value is the value wanted or a list of allowed values. No `when`: the fallback.
 */
export const promptRuleSchema = z.strictObject({
  prompt: nameSchema,
  when: z.record(z.string().min(1), z.union([promptScalarSchema, z.array(promptScalarSchema).min(1)])).optional(),
});
export type PromptRuleEntry = z.infer<typeof promptRuleSchema>;

/** A list of prompt rules: per item, the matching rule with the most conditions wins (see docs/registries.md#prompt-rules). */
const promptRulesSchema = z.array(promptRuleSchema).min(1);

/** A task type (ocr, vqa, ...): the first level of the task registry. */
export const mlTaskSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Package entry of the task plugin. */
  package: nameSchema,
  /** Other package entries the task needs installed. */
  requires: names.optional(),
  supported_metrics: names,
  /** Prompt of the task's runs that name none; `prompts` (rules) instead, not both. */
  default_prompt: nameSchema.optional(),
  /** Prompt rules of the task's runs that name none: per item, the most specific matching rule. */
  prompts: promptRulesSchema.optional(),
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

/** How `vhb serve` starts the model's engine as a child process (`vllm serve`, SGLang's launch_server). */
export const modelServeSchema = z.strictObject({
  /** Program and arguments; `{port}` (and `{host}`) are filled in, e.g. `[vllm, serve, Qwen/Qwen2-VL-7B-Instruct, --port, "{port}"]`. */
  command: z.array(z.string()).min(1),
  /** Port the engine listens on; default: a free one. */
  port: z.number().int().min(0).max(65535).optional(),
  /** Path polled until the engine answers 200; default `/health`. */
  health_path: z.string().startsWith('/').optional(),
  /** NAMES of environment variables the engine needs (values come from the environment only, masked in logs). */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')).optional(),
  /** How long loading waits for the health endpoint, in ms. */
  startup_timeout_ms: z.number().int().positive().optional(),
});

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** Where a model's runs execute: in the vhb process (`local`, the default) or elsewhere (a container, a pod). */
export const modelEnvironmentSchema = z.strictObject({
  kind: z.enum(['local', 'docker', 'apptainer', 'runpod']).default('local'),
  /** Image the run's container starts from; it must hold `node` and `npm`. Default: the model's `image`. */
  image: z.string().min(1).optional(),
  /** GPUs the container gets (NVIDIA): a count, or `all`. None when absent. */
  gpus: z.union([z.number().int().positive(), z.literal('all')]).optional(),
  /** More host folders the container sees, beside the dataset, results, cache and plugin folders. */
  mounts: z
    .array(
      z.strictObject({
        /** Host folder or file; relative to the project root. */
        source: z.string().min(1),
        /** Path inside the container; default: the same as on the host. */
        target: z.string().startsWith('/').optional(),
        read_only: z.boolean().optional(),
      }),
    )
    .optional(),
  /** The container's network: `host` (default; reaches engines on 127.0.0.1), `none`, or docker's `bridge`. */
  network: z.enum(['host', 'none', 'bridge']).optional(),
  /** NAMES of environment variables passed into the container (values from vhb's environment, masked in logs). */
  env: z.array(envVarName).optional(),
  /** `kind: runpod` only: the pod's GPUs, its cloud, and the storage (`s3://bucket/prefix`) files go through both ways. */
  runpod: z
    .strictObject({
      storage: z.string().min(1),
      /** NAMES of the variables the pod needs to open the storage (AWS_ACCESS_KEY_ID, …); values from vhb's environment. */
      storage_env: z.array(envVarName).optional(),
      gpu_type_ids: z.array(z.string().min(1)).min(1).optional(),
      cloud_type: z.enum(['SECURE', 'COMMUNITY']).optional(),
      container_disk_gb: z.number().int().positive().optional(),
    })
    .optional(),
  /** `kind: apptainer` only: the program (default `apptainer`, else `singularity`) and where built SIF images are kept. */
  apptainer: z.strictObject({ binary: z.string().min(1).optional(), cache_dir: z.string().min(1).optional() }).optional(),
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
  /** Lets `vhb serve` start the engine on load; the model is then served at the gateway (see @vhb/gateway). */
  serve: modelServeSchema.optional(),
  /** Where the model's runs execute (`kind: docker`: the task's bin in a container); in process when absent. */
  environment: modelEnvironmentSchema.optional(),
});
export type Model = z.infer<typeof modelSchema>;

export const datasetSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Package entry of the dataset iterator plugin. */
  package: nameSchema,
  /** Folder of the dataset, relative to the project root; with `sync`, the local copy synced into it. */
  path: z.string().min(1),
  options: optionsSchema.optional(),
  languages: z.array(z.string()).optional(),
  /** Bring `path` up to a dataset stored elsewhere before each run (only missing or changed files move). */
  sync: z
    .strictObject({
      /** Where the dataset and its `vhb-dataset.json` manifest live: `s3://bucket/prefix`, or a folder. Credentials come from the environment. */
      from: z.string().min(1),
      /** Files fetched at once (default 4). */
      concurrency: z.number().int().positive().optional(),
      /** `stamp` (default) re-hashes a cached file only when its size or mtime changed; `full` re-hashes every file. */
      verify: z.enum(['stamp', 'full']).optional(),
    })
    .optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const promptSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  /** Template of the system message; variables as in `user`. */
  system: z.string().optional(),
  /** Template of the user message: `{{question}}`, `{{id}}`, `{{task}}`, `{{model}}`, `{{dataset}}`, `{{metadata.<key>}}`. */
  user: z.string(),
  /** Further variables the task plugin fills itself (classification's `labels`). */
  variables: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a variable name (letters, digits, "_", "-")')).optional(),
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

/** How a run drives its model: retries, per-item timeout, response cache, concurrency (see the README). */
export const runInferenceSchema = z.strictObject({
  /** Requests at most per item, the first included (default 6: five retries). */
  max_attempts: z.number().int().min(1).optional(),
  /** Base of the exponential backoff with full jitter, in ms (default 500). */
  backoff_ms: z.number().int().min(0).optional(),
  /** Cap of one wait between attempts, a server's Retry-After included, in ms (default 30000). */
  max_backoff_ms: z.number().int().min(0).optional(),
  /** Wall-clock limit for one item, every attempt and wait included, in ms (default 600000). */
  item_timeout_ms: z.number().int().positive().optional(),
  /** Look answers up in, and save them to, the response cache under the cache folder (default true). */
  cache: z.boolean().optional(),
  /** Requests in flight at once to this run's model, shared with the plan's other runs of the model (default: the adapter's). */
  concurrency: z.number().int().positive().optional(),
});
export type RunInference = z.infer<typeof runInferenceSchema>;

/** One model on one dataset with some metrics: the second level of the task registry. */
export const runTaskSchema = z.strictObject({
  name: nameSchema,
  description: z.string().optional(),
  task: nameSchema,
  model: nameSchema,
  dataset: nameSchema,
  /** One prompt for every item; `prompts` (rules) instead, not both. Default: the task entry's. */
  prompt: nameSchema.optional(),
  /** Prompt rules: per item, the most specific matching rule's prompt (see docs/registries.md#prompt-rules). */
  prompts: promptRulesSchema.optional(),
  /** Task plugin options for this run, merged over the task entry's `options`. */
  task_options: z.record(z.string(), z.unknown()).optional(),
  metrics: z.array(runMetricSchema).optional(),
  reports: names.optional(),
  generation: generationSchema.optional(),
  /** Each entry is one grouping: a field, or several fields grouped together. */
  group_by: z.array(z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  /** Only the first N items of the dataset (after filter and shuffle). */
  limit: z.number().int().positive().optional(),
  /** Only items whose fields match: `{ doc_type: receipt, language: [en, ru] }` (a list is any of; metadata keys or id/image/question). */
  filter: datasetSelectionSchema.shape.filter,
  /** A seeded shuffle of the items (a shuffle buffer of `buffer` items; the same seed gives the same order). */
  shuffle: datasetSelectionSchema.shape.shuffle,
  /** Retries, per-item timeout, response cache and concurrency of the inference stage. */
  inference: runInferenceSchema.optional(),
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
  /** Upload each finished run's results folder to `<to>/<plan>/<run>/` (s3://bucket/prefix, or a folder); only changed files move. */
  upload: z.strictObject({ to: z.string().min(1) }).optional(),
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
