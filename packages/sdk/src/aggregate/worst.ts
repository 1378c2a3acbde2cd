import type { PredictionRecord } from '../data.js';
import type { MetricUse, ScoreTable } from '../run/evaluation.js';
import type { WorstItem, WorstItems } from '../summary.js';
import { byId } from './figure.js';

/**
 * The `count` items with the worst score on the first metric (lowest where higher is better,
 * highest where lower is better), worst first; ties in item id order. Items the metric
 * could not score, and non-finite scores, are left out. Null when the run has no metric.
 */
export function worstItems(
  records: readonly PredictionRecord[],
  table: ScoreTable,
  metrics: readonly MetricUse[],
  count = 10,
): WorstItems | null {
  const first = metrics[0];
  if (!first) return null;
  const sign = first.plugin.direction === 'higher' ? 1 : -1;
  const scored: { record: PredictionRecord; score: number }[] = [];
  for (const record of records) {
    const cell = table.get(record.id)?.get(first.id);
    if (!cell || 'error' in cell || !Number.isFinite(cell.score) || record.prediction === null) continue;
    scored.push({ record, score: cell.score });
  }
  scored.sort((a, b) => sign * (a.score - b.score) || byId(a.record.id, b.record.id));
  const items = scored.slice(0, Math.max(0, count)).map(({ record, score }): WorstItem => {
    const item: WorstItem = { id: record.id, score, prediction: record.prediction as string, references: record.references };
    if (record.image) item.image = record.image;
    return item;
  });
  return { metric: first.id, direction: first.plugin.direction, items };
}
