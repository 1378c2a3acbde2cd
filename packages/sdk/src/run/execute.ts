import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { worstItems } from '../aggregate/worst.js';
import { type DatasetItem, datasetItemSchema } from '../data.js';
import { VhbError } from '../errors.js';
import type { Logger, PluginContext } from '../plugins.js';
import { summariseTimes } from '../stats.js';
import type { RunSummary } from '../summary.js';
import { type MetricUse, metricId, scoreItems, summariseGroups, summariseMetrics, writeMetrics } from './evaluation.js';
import { runInference } from './inference.js';
import { parseOptions } from './options.js';
import type { RunEvent, RunPlugins, RunSpec } from './spec.js';

export interface ExecuteOptions {
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
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

async function collectItems(spec: RunSpec, plugins: RunPlugins, ctx: PluginContext): Promise<DatasetItem[]> {
  const options = parseOptions(plugins.dataset, spec.dataset.options);
  const root = resolve(spec.dataset.root);
  const items: DatasetItem[] = [];
  const seen = new Set<string>();
  for await (const raw of plugins.dataset.items({ root }, options, ctx)) {
    const parsed = datasetItemSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown })?.id;
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new VhbError(
        'VHB_E_DATASET_ITEM',
        `dataset "${spec.dataset.name}" item ${items.length + 1}${id ? ` (id ${String(id)})` : ''} is malformed: ${problems}`,
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
      items.push(item);
    }
    if (spec.dataset.limit && items.length >= spec.dataset.limit) break;
  }
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
  const adapterCtx = { ...ctx, model: { name: spec.model.model, modelId: spec.model.modelId, endpoint: spec.model.endpoint } };
  const records = await runInference({
    items,
    task: plugins.task,
    taskOptions,
    prompt: spec.prompt ?? plugins.task.defaultPrompt,
    settings: spec.settings,
    openSession: () => plugins.adapter.open(adapterOptions, adapterCtx),
    predictionsPath: join(spec.outDir, RESULT_FILES.predictions),
    signal: options.signal,
    onEvent,
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
