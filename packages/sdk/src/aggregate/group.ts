import type { PredictionRecord } from '../data.js';
import type { ItemScore } from '../plugins.js';
import type { MetricUse, ScoreError, ScoreTable } from '../run/evaluation.js';
import type { GroupRow, GroupSummary } from '../summary.js';
import type { BootstrapOptions } from './bootstrap.js';
import { byId, figure, type ScoreSample } from './figure.js';
import { deriveSeed } from './random.js';

const failed = (cell: ItemScore | ScoreError | undefined): cell is ScoreError => cell !== undefined && 'error' in cell;

/** A field of a record: a metadata key, else a top-level field (`id`, `prompt`); `(none)` when absent. */
export function fieldOf(record: PredictionRecord, field: string): string {
  const value = Object.hasOwn(record.metadata, field)
    ? record.metadata[field]
    : Object.hasOwn(record, field)
      ? (record as unknown as Record<string, unknown>)[field]
      : undefined;
  if (value === undefined || value === null) return '(none)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * How many items used each prompt id, ids in code-unit order (`(none)` for records without one):
 * which prompt a group, or a run, was answered with.
 */
export function promptCounts(prompts: Iterable<string | undefined>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const prompt of prompts) {
    const id = prompt === undefined || prompt === '' ? '(none)' : prompt;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface Cell extends ScoreSample {
  /** The item whose units were added last: a new item opens a new cluster. */
  last: string | undefined;
  parts: boolean;
}

interface Row {
  key: Record<string, string>;
  items: Set<string>;
  cells: Map<string, Cell>;
}

/** Rows of one grouping, created on first use, keyed by their key's JSON. */
class Rows {
  readonly byName = new Map<string, Row>();
  constructor(readonly by: readonly string[]) {}

  row(values: readonly string[]): Row {
    const key = Object.fromEntries(this.by.map((field, i) => [field, values[i] as string]));
    const name = JSON.stringify(key);
    let row = this.byName.get(name);
    if (!row) {
      row = { key, items: new Set(), cells: new Map() };
      this.byName.set(name, row);
    }
    return row;
  }

  add(row: Row, metric: string, item: string, unit: ItemScore, part: boolean): void {
    row.items.add(item);
    let cell = row.cells.get(metric);
    if (!cell) {
      cell = { units: [], starts: [], last: undefined, parts: false };
      row.cells.set(metric, cell);
    }
    if (part) cell.parts = true;
    if (cell.last !== item) {
      cell.starts.push(cell.units.length);
      cell.last = item;
    }
    cell.units.push(unit);
  }
}

/**
 * Groups the scored items by the fields in `by` (metadata keys or record fields) and computes
 * each metric's figure, with a bootstrap CI, per group. Where an item's score has parts labelled
 * with one of the fields (`field_name` from a JSON metric), that metric's parts are grouped instead
 * of the item: each part is a unit with its labels, the item's own fields filling the rest of the
 * key, and a group of parts scores the mean of their scores (the metric's aggregate reads whole
 * items). Units of one item stay together when resampling (the item is the cluster). Items are taken
 * in id order, so the same scores give the same intervals however the run went.
 */
export function groupFigures(
  records: readonly PredictionRecord[],
  table: ScoreTable,
  metrics: readonly MetricUse[],
  by: readonly string[],
  options: BootstrapOptions = {},
): GroupSummary {
  const rows = new Rows(by);
  // In id order, so the resamples do not depend on the order the items were answered in.
  for (const record of [...records].sort((a, b) => byId(a.id, b.id))) {
    const scores = table.get(record.id);
    if (!scores) continue;
    const itemKey = by.map((field) => fieldOf(record, field));
    let wholeItem = metrics.length === 0;
    for (const { id } of metrics) {
      const cell = scores.get(id);
      const score = failed(cell) ? undefined : cell;
      const parts = score?.parts?.some((part) => by.some((field) => Object.hasOwn(part.labels, field))) ? score.parts : undefined;
      if (parts) {
        for (const part of parts) {
          const values = by.map((field, i) =>
            Object.hasOwn(part.labels, field) ? (part.labels[field] as string) : (itemKey[i] as string),
          );
          rows.add(rows.row(values), id, record.id, part, true);
        }
      } else {
        wholeItem = true;
        if (score) rows.add(rows.row(itemKey), id, record.id, score, false);
      }
    }
    // An item counts in its own row even where a metric failed on it.
    if (wholeItem) rows.row(itemKey).items.add(record.id);
  }
  const promptOf = new Map(records.map((record) => [record.id, record.prompt]));
  const base = options.seed ?? 0;
  const summaryRows: GroupRow[] = [...rows.byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, row]) => ({
      key: row.key,
      n: row.items.size,
      prompts: promptCounts([...row.items].map((id) => promptOf.get(id))),
      scores: Object.fromEntries(
        metrics.map((use) => {
          const cell = row.cells.get(use.id);
          const sample = cell
            ? { units: cell.units, starts: [...cell.starts, cell.units.length], parts: cell.parts }
            : { units: [], starts: [0] };
          const { score, ci, n } = figure(use, sample, deriveSeed(base, use.id, ...by, name), options);
          return [use.id, { score, ci, n }];
        }),
      ),
    }));
  return { by: [...by], rows: summaryRows };
}
