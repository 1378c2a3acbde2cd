import { resolve } from 'node:path';
import { type MLTask, type ProjectConfig, parseMetricRef, type RegistryManager, type RunTask } from '@vhb/core';
import { type PluginKind, type PromptTemplate, type RunSpec, VhbError } from '@vhb/sdk';

/** A registry package a run needs, with the kind it must be. */
export interface PackageNeed {
  /** Name of the entry in registries/packages/. */
  entry: string;
  kind: PluginKind;
  /** Pinned algorithm version, for metrics. */
  version?: number;
}

/** Where a plugin's options are written in the registries, to point errors at the YAML. */
export interface OptionsSource {
  kind: 'tasks' | 'runs' | 'datasets' | 'models' | 'metrics' | 'reports';
  name: string;
  field: string;
}

/** One run of a plan, resolved from the registries: the spec, and the packages it needs. */
export interface PlannedRun {
  name: string;
  /** Registry file of the run, for messages. */
  file: string;
  spec: RunSpec;
  needs: { task: PackageNeed; dataset: PackageNeed; adapter: PackageNeed; metrics: PackageNeed[]; reporters: PackageNeed[] };
  /** Where to sync the dataset from before the run (the dataset entry's `sync`), into `spec.dataset.root`. */
  sync?: { from: string; concurrency?: number; verify?: 'stamp' | 'full' };
  /** Where each plugin's options come from, in the order of `needs`. */
  optionSources: {
    task: OptionsSource;
    dataset: OptionsSource;
    adapter: OptionsSource;
    metrics: OptionsSource[];
    reporters: OptionsSource[];
  };
}

export interface Plan {
  name: string;
  title: string;
  file: string;
  parallelism: number;
  runs: PlannedRun[];
  /** Where finished runs' results folders are uploaded (`<upload>/<plan>/<run>/`), when the plan says. */
  upload?: string;
}

const DEFAULT_REPORTS = ['markdown', 'json'];

function must<T>(value: T | undefined, what: string, hint: string): T {
  if (value === undefined) throw new VhbError('VHB_E_PLAN_REFERENCE', `${what} is not defined`, { hint });
  return value;
}

/** The object without its undefined fields, so the resolved plan lists only what was set. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function resolvePrompt(registry: RegistryManager, name: string | undefined): PromptTemplate | undefined {
  if (!name) return undefined;
  const prompt = must(registry.get('prompts', name), `prompt "${name}"`, 'run `vhb validate` to see every broken reference').entry;
  return { id: prompt.name, user: prompt.user, ...(prompt.system === undefined ? {} : { system: prompt.system }) };
}

/**
 * The run's prompt, or its prompt rules: the run's `prompts`, else its `prompt`, else the task
 * entry's `prompts`, else its `default_prompt`; neither: the task plugin's default prompt.
 */
function resolvePrompts(registry: RegistryManager, run: RunTask, task: MLTask): Pick<RunSpec, 'prompt' | 'promptRules'> {
  const rules = run.prompts ?? (run.prompt === undefined ? task.prompts : undefined);
  if (!rules) return { prompt: resolvePrompt(registry, run.prompt ?? task.default_prompt) };
  return {
    promptRules: rules.map((rule) => ({
      prompt: resolvePrompt(registry, rule.prompt) as PromptTemplate,
      ...(rule.when === undefined ? {} : { when: rule.when }),
    })),
  };
}

function planRun(
  registry: RegistryManager,
  config: ProjectConfig,
  experiment: string,
  experimentReports: string[] | undefined,
  runName: string,
): PlannedRun {
  const hint = 'run `vhb validate` to see every broken reference';
  const found = must(registry.get('runs', runName), `run "${runName}"`, hint);
  const run = found.entry;
  const task = must(registry.get('tasks', run.task), `task "${run.task}"`, hint).entry;
  const model = must(registry.get('models', run.model), `model "${run.model}"`, hint).entry;
  const dataset = must(registry.get('datasets', run.dataset), `dataset "${run.dataset}"`, hint).entry;

  const metricRefs = run.metrics ?? task.supported_metrics;
  const metrics = metricRefs.map((ref, index) => {
    const use = parseMetricRef(ref);
    const metric = must(registry.get('metrics', use.name), `metric "${use.name}"`, hint).entry;
    const source: OptionsSource = use.options
      ? { kind: 'runs', name: run.name, field: `metrics.${index}.options` }
      : { kind: 'metrics', name: metric.name, field: 'options' };
    return {
      use: { name: metric.name, options: { ...metric.options, ...use.options } },
      need: { entry: metric.package, kind: 'metric' as const, version: use.version },
      source,
    };
  });
  const reports = (run.reports ?? experimentReports ?? DEFAULT_REPORTS).map((name: string) => {
    const report = must(registry.get('reports', name), `report "${name}"`, hint).entry;
    return {
      use: { name: report.name, options: report.options },
      need: { entry: report.package, kind: 'reporter' as const },
      source: { kind: 'reports' as const, name: report.name, field: 'options' },
    };
  });
  const generation = run.generation ?? {};
  const inference = run.inference ?? {};
  const spec: RunSpec = {
    experiment,
    run: run.name,
    outDir: resolve(config.resultsDir, experiment, run.name),
    task: { name: task.name, options: { ...task.options, ...run.task_options } },
    dataset: {
      name: dataset.name,
      root: resolve(config.root, dataset.path),
      options: dataset.options,
      limit: run.limit,
      ...(run.filter ? { filter: run.filter } : {}),
      ...(run.shuffle ? { shuffle: run.shuffle } : {}),
    },
    model: { name: model.name, model: model.name, modelId: model.model_id, endpoint: model.endpoint, options: model.options },
    ...resolvePrompts(registry, run, task),
    settings: { maxTokens: generation.max_tokens, temperature: generation.temperature, topP: generation.top_p, seed: generation.seed },
    metrics: metrics.map((m) => m.use),
    reporters: reports.map((r) => r.use),
    groupBy: (run.group_by ?? []).map((g: string | string[]) => (typeof g === 'string' ? [g] : g)),
    inference: defined({
      maxAttempts: inference.max_attempts,
      backoffMs: inference.backoff_ms,
      maxBackoffMs: inference.max_backoff_ms,
      itemTimeoutMs: inference.item_timeout_ms,
      cache: inference.cache,
      concurrency: inference.concurrency,
    }),
    cacheDir: config.cacheDir,
  };
  return {
    name: run.name,
    file: found.file,
    spec,
    ...(dataset.sync ? { sync: { ...dataset.sync, from: storageLocation(dataset.sync.from, config.root) } } : {}),
    needs: {
      task: { entry: task.package, kind: 'task' },
      dataset: { entry: dataset.package, kind: 'dataset' },
      adapter: { entry: model.adapter, kind: 'adapter' },
      metrics: metrics.map((m) => m.need),
      reporters: reports.map((r) => r.need),
    },
    optionSources: {
      task: run.task_options
        ? { kind: 'runs', name: run.name, field: 'task_options' }
        : { kind: 'tasks', name: task.name, field: 'options' },
      dataset: { kind: 'datasets', name: dataset.name, field: 'options' },
      adapter: { kind: 'models', name: model.name, field: 'options' },
      metrics: metrics.map((m) => m.source),
      reporters: reports.map((r) => r.source),
    },
  };
}

/** A storage location as the storage opens it: URLs as they are, folders from the project root. */
function storageLocation(from: string, root: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(from) ? from : resolve(root, from);
}

/** Resolves a plan's runs from the registries; call after `registry.validatePlan` found no error. */
export function planExperiment(registry: RegistryManager, config: ProjectConfig, planName: string): Plan {
  const found = must(registry.plan(planName), `plan "${planName}"`, 'list plans with `vhb list experiments`');
  const plan = found.entry;
  return {
    name: plan.name,
    title: plan.title ?? plan.name,
    file: found.file,
    parallelism: plan.parallelism ?? 1,
    runs: plan.runs.map((run: string) => planRun(registry, config, plan.name, plan.reports, run)),
    ...(plan.upload ? { upload: storageLocation(plan.upload.to, config.root) } : {}),
  };
}
