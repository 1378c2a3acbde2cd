import { writeFile } from 'node:fs/promises';
import type { BootstrapOptions } from '../aggregate/bootstrap.js';
import { byId, figure, itemSample } from '../aggregate/figure.js';
import { groupFigures } from '../aggregate/group.js';
import { deriveSeed } from '../aggregate/random.js';
import type { MetricRecord, PredictionRecord } from '../data.js';
import type { ItemScore, MetricPlugin } from '../plugins.js';
import type { GroupSummary, MetricSummary } from '../summary.js';

/** A metric ready to score: the plugin, its validated options, and the id its results carry. */
export interface MetricUse {
  plugin: MetricPlugin<any>;
  options: unknown;
  id: string;
}

/**
 * The id every metric result carries: `name@algorithmVersion`, plus `/dialect` when the options
 * choose a dialect other than the metric's default (`anls@1/vlmevalkit`).
 */
export function metricId(plugin: MetricPlugin<any>, options?: unknown): string {
  const dialect = (options as { dialect?: unknown } | undefined)?.dialect;
  const base = `${plugin.name}@${plugin.algorithmVersion}`;
  return typeof dialect === 'string' && dialect !== plugin.dialects?.[0] ? `${base}/${dialect}` : base;
}

/** A metric's failure on one item, kept as data. */
export interface ScoreError {
  error: { code: string; message: string };
}

/** Item id → metric id → score (or why there is none), for every successfully answered item. */
export type ScoreTable = Map<string, Map<string, ItemScore | ScoreError>>;

const failed = (cell: ItemScore | ScoreError | undefined): cell is ScoreError => cell !== undefined && 'error' in cell;

/** Scores every answered item with every metric; a metric that throws on an item records the error for that item only. */
export function scoreItems(records: Iterable<PredictionRecord>, metrics: readonly MetricUse[]): ScoreTable {
  const table: ScoreTable = new Map();
  for (const record of records) {
    if (record.prediction === null) continue;
    const row = new Map<string, ItemScore | ScoreError>();
    for (const { plugin, options, id } of metrics) {
      try {
        const item = { id: record.id, metadata: record.metadata, timing: record.timing, raw: record.raw };
        row.set(id, plugin.score(record.prediction, record.references, options, item));
      } catch (error) {
        const code = (error as { code?: unknown })?.code;
        const message = error instanceof Error ? error.message : String(error);
        row.set(id, { error: { code: typeof code === 'string' ? code : 'VHB_E_ITEM_SCORE', message } });
      }
    }
    table.set(record.id, row);
  }
  return table;
}

/** Writes metrics.jsonl: one line per item and metric. */
export async function writeMetrics(path: string, table: ScoreTable): Promise<void> {
  const lines: string[] = [];
  for (const [id, row] of table) {
    for (const [metric, result] of row) {
      const record: MetricRecord = failed(result) ? { id, metric, score: null, error: result.error } : { id, metric, score: result.score };
      if (!failed(result) && result.details) record.details = result.details;
      lines.push(JSON.stringify(record));
    }
  }
  await writeFile(path, lines.length ? `${lines.join('\n')}\n` : '');
}

/** The metric's item scores, in item id order: the resamples then do not depend on the order items were answered in. */
function scoresOf(table: ScoreTable, metric: string): ItemScore[] {
  const scores: ItemScore[] = [];
  for (const id of [...table.keys()].sort(byId)) {
    const result = table.get(id)?.get(metric);
    if (result && !failed(result)) scores.push(result);
  }
  return scores;
}

/**
 * The run-level figure of each metric: its own aggregate over the scored items (corpus-level where
 * it defines one), and a seeded 95% bootstrap CI of that aggregate (items resampled, the aggregate
 * recomputed on each resample).
 */
export function summariseMetrics(table: ScoreTable, metrics: readonly MetricUse[], options: BootstrapOptions = {}): MetricSummary[] {
  return metrics.map((use) => {
    const scores = scoresOf(table, use.id);
    const { score, ci, n, details } = figure(use, itemSample(scores), deriveSeed(options.seed ?? 0, use.id), options);
    return {
      id: use.id,
      name: use.plugin.name,
      version: use.plugin.algorithmVersion,
      direction: use.plugin.direction,
      score,
      n,
      ci,
      ...(details ? { details } : {}),
    };
  });
}

/**
 * Aggregates each metric per group, for each requested grouping (one or several fields: item
 * fields, metadata keys, or labels of the scores' parts), with counts and bootstrap CIs.
 */
export function summariseGroups(
  records: readonly PredictionRecord[],
  table: ScoreTable,
  metrics: readonly MetricUse[],
  groupings: readonly string[][],
  options: BootstrapOptions = {},
): GroupSummary[] {
  return groupings.map((by) => groupFigures(records, table, metrics, by, options));
}
