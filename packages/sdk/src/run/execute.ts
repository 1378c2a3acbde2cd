import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { promptCounts } from '../aggregate/group.js';
import { worstItems } from '../aggregate/worst.js';
import { type DatasetItem, datasetItemSchema } from '../data.js';
import { selectItems } from '../dataset-select.js';
import { VhbError } from '../errors.js';
import type { Logger, PluginContext } from '../plugins.js';
import { bindRunVariables, type PromptContext, selectPrompt } from '../prompt.js';
import { summariseTimes } from '../stats.js';
import type { RunSummary } from '../summary.js';
import { ResponseCache } from './cache.js';
import { type MetricUse, metricId, scoreItems, summariseGroups, summariseMetrics, writeMetrics } from './evaluation.js';
import { type InferenceInput, runInference } from './inference.js';
import { ModelLimiter } from './limiter.js';
import { parseOptions } from './options.js';
import type { RunEvent, RunPlugins, RunSpec } from './spec.js';

export interface ExecuteOptions {
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  /**
   * The concurrency limit of the run's model, shared with the other runs of a plan that use it.
   * Without one (a task's bin running one run alone), the session's own concurrency is the limit.
   */
  limiter?: ModelLimiter;
  /** Random numbers in [0, 1) for the retry jitter (Math.random by default). */
  random?: () => number;
  /** Ask every item again instead of answering from the response cache (new answers still go into it): `vhb run --fresh`. */
  refreshCache?: boolean;
}

/** File names inside a run's results folder. */
export const RESULT_FILES = {
  predictions: 'predictions.jsonl',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
} as const;

function eventLogger(onEvent: (event: RunEvent) => void): Logger {
  return {
    debug: (message) => onEvent({ type: 'log', level: 'debug', message }),
    info: (message) => onEvent({ type: 'log', level: 'info', message }),
    warn: (message) => onEvent({ type: 'log', level: 'warn', message }),
  };
}

/** The dataset's items, each checked (shape, image inside the root) and the first of each id kept. */
async function* checkedItems(spec: RunSpec, plugins: RunPlugins, ctx: PluginContext): AsyncGenerator<DatasetItem> {
  const options = parseOptions(plugins.dataset, spec.dataset.options);
  const root = resolve(spec.dataset.root);
  const seen = new Set<string>();
  let index = 0;
  for await (const raw of plugins.dataset.items({ root }, options, ctx)) {
    index += 1;
    const parsed = datasetItemSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown })?.id;
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new VhbError(
        'VHB_E_DATASET_ITEM',
        `dataset "${spec.dataset.name}" item ${index}${id ? ` (id ${String(id)})` : ''} is malformed: ${problems}`,
        {
          hint: 'fix that row of the dataset manifest',
        },
      );
    }
    const item = parsed.data;
    if (item.image && !resolve(item.image).startsWith(root + sep)) {
      throw new VhbError(
        'VHB_E_DATASET_ITEM',
        `dataset "${spec.dataset.name}" item ${item.id}: image ${item.image} is outside the dataset root ${root}`,
        {
          hint: 'image paths must stay inside the dataset folder',
        },
      );
    }
    if (seen.has(item.id)) ctx.logger.warn(`dataset "${spec.dataset.name}": duplicate item id ${item.id}; the later one is ignored`);
    else {
      seen.add(item.id);
      yield item;
    }
  }
}

/** The run's items: checked, then filtered, shuffled (seeded) and limited as the spec says, streaming. */
async function collectItems(spec: RunSpec, plugins: RunPlugins, ctx: PluginContext): Promise<DatasetItem[]> {
  const { filter, shuffle, limit } = spec.dataset;
  const items: DatasetItem[] = [];
  for await (const item of selectItems(checkedItems(spec, plugins, ctx), { filter, shuffle, limit })) items.push(item);
  return items;
}

/** Each metric with its validated options and result id; two metrics with one id would mix their scores. */
function metricUses(plugins: RunPlugins, spec: RunSpec): MetricUse[] {
  const uses = plugins.metrics.map((plugin, i) => {
    const options = parseOptions(plugin, spec.metrics[i]?.options);
    return { plugin, options, id: metricId(plugin, options) };
  });
  const ids = uses.map((use) => use.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) {
    throw new VhbError('VHB_E_RUN_SPEC', `run "${spec.run}" lists metric ${twice} twice`, {
      hint: 'list each metric once per run, or give the second one another version or dialect',
    });
  }
  return uses;
}

/**
 * The prompt of every item: the spec's rules (most specific match per item), else its one prompt,
 * else the task's default; `{{task}}`, `{{model}}` and `{{dataset}}` filled with the run's names.
 */
function promptChoice(spec: RunSpec, plugins: RunPlugins): Pick<InferenceInput, 'prompt' | 'promptFor'> {
  const context: PromptContext = { task: spec.task.name, model: spec.model.model, dataset: spec.dataset.name };
  const prompt = bindRunVariables(spec.prompt ?? plugins.task.defaultPrompt, context);
  if (!spec.promptRules?.length) return { prompt };
  const rules = spec.promptRules.map((rule) => ({ ...rule, prompt: bindRunVariables(rule.prompt, context) }));
  return { prompt, promptFor: (item) => selectPrompt(rules, item, context) };
}

/**
 * Runs one resolved run end to end: inference (resumable), evaluation, aggregation, reports.
 * Everything answered is on disk as soon as it is answered; a second call redoes no finished item.
 */
export async function executeRun(spec: RunSpec, plugins: RunPlugins, options: ExecuteOptions = {}): Promise<RunSummary> {
  const onEvent = options.onEvent ?? (() => {});
  const ctx: PluginContext = { logger: eventLogger(onEvent), env: options.env ?? process.env, signal: options.signal };
  const startedAt = new Date();
  await mkdir(spec.outDir, { recursive: true });

  const taskOptions = parseOptions(plugins.task, spec.task.options);
  const adapterOptions = parseOptions(plugins.adapter, spec.model.options);
  const metrics = metricUses(plugins, spec);
  const reporterOptions = plugins.reporters.map((plugin, i) => parseOptions(plugin, spec.reporters[i]?.options));

  onEvent({ type: 'stage', stage: 'inference' });
  const items = await collectItems(spec, plugins, ctx);
  // Alone (a task's bin), an explicit `inference.concurrency` still bounds the run.
  const explicit = spec.inference?.concurrency;
  const limiter = options.limiter ?? (explicit === undefined ? undefined : new ModelLimiter(explicit));
  const adapterCtx = { ...ctx, model: { name: spec.model.model, modelId: spec.model.modelId, endpoint: spec.model.endpoint } };
  const records = await runInference({
    items,
    task: plugins.task,
    taskOptions,
    ...promptChoice(spec, plugins),
    settings: spec.settings,
    openSession: () => plugins.adapter.open(adapterOptions, adapterCtx),
    predictionsPath: join(spec.outDir, RESULT_FILES.predictions),
    signal: options.signal,
    onEvent,
    ...(spec.inference ? { inference: spec.inference } : {}),
    ...(spec.cacheDir
      ? {
          cache: {
            store: new ResponseCache(spec.cacheDir),
            model: {
              adapter: plugins.adapter.name,
              model: spec.model.model,
              modelId: spec.model.modelId,
              endpoint: spec.model.endpoint,
              adapterIdentity: plugins.adapter.identity ? plugins.adapter.identity(adapterOptions, adapterCtx) : adapterOptions,
            },
          },
        }
      : {}),
    ...(limiter ? { limiter } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.refreshCache ? { refreshCache: true } : {}),
  });

  onEvent({ type: 'stage', stage: 'evaluation' });
  const wanted = new Set(items.map((item) => item.id));
  const current = [...records.values()].filter((record) => wanted.has(record.id));
  const table = scoreItems(current, metrics);
  await writeMetrics(join(spec.outDir, RESULT_FILES.metrics), table);
  const finishedAt = new Date();
  const failed = current.filter((record) => record.error !== null);
  const timings = current.flatMap((record) => (record.timing ? [record.timing] : []));
  const summary: RunSummary = {
    experiment: spec.experiment,
    run: spec.run,
    task: spec.task.name,
    model: spec.model.model,
    dataset: spec.dataset.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    items: { total: items.length, succeeded: current.length - failed.length, failed: failed.length + (items.length - current.length) },
    prompts: promptCounts(current.map((record) => record.prompt)),
    metrics: summariseMetrics(table, metrics),
    groups: summariseGroups(current, table, metrics, spec.groupBy),
    timing: {
      latencyMs: summariseTimes(timings.map((t) => t.latencyMs)),
      ttftMs: summariseTimes(timings.flatMap((t) => (t.ttftMs === null ? [] : [t.ttftMs]))),
    },
    failures: failed
      .slice(0, 20)
      .map((record) => ({ id: record.id, code: record.error?.code ?? '', message: record.error?.message ?? '' })),
    worst: worstItems(current, table, metrics),
  };
  await writeFile(join(spec.outDir, RESULT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);

  onEvent({ type: 'stage', stage: 'report' });
  for (const [i, reporter] of plugins.reporters.entries()) {
    for (const file of await reporter.render(summary, reporterOptions[i], ctx)) {
      const target = resolve(spec.outDir, file.path);
      if (!target.startsWith(resolve(spec.outDir) + sep)) {
        throw new VhbError('VHB_E_PLUGIN_OUTPUT', `reporter "${reporter.name}" tried to write ${file.path} outside the results folder`);
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
  }
  return summary;
}
