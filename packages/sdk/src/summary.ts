/** One metric's figure for a run. */
export interface MetricSummary {
  /** `name@algorithmVersion`, e.g. `cer@1`. */
  id: string;
  name: string;
  version: number;
  direction: 'higher' | 'lower';
  /** The aggregate over scored items (corpus-level where the metric defines one); null when nothing was scored. */
  score: number | null;
  /** Items scored. */
  n: number;
  /**
   * 95% bootstrap confidence interval of the score, [low, high]: the 2.5th and 97.5th percentiles
   * of the metric's own aggregate over 1000 seeded resamples of the items; null below two items.
   */
  ci: [number, number] | null;
  /** Tables the metric's aggregate returned besides the figure (per-class F1, confusion matrix, ...). */
  details?: Record<string, unknown>;
}

/** One metric's figure in a group. */
export interface GroupScore {
  /** The metric's aggregate over the group's items (or parts); null when none was scored. */
  score: number | null;
  /** 95% bootstrap confidence interval, as for the run's figure; null below two items. */
  ci: [number, number] | null;
  /** Units aggregated: items, or parts of items when grouped by a part label (`field_name`). */
  n: number;
}

/** Scores of one group of items (e.g. doc_type = receipt). */
export interface GroupRow {
  key: Record<string, string>;
  /** Items in the group. */
  n: number;
  /** Prompt id → items of the group answered with it (`{ 'receipt-ru': 10 }`); absent in summaries from before prompt rules. */
  prompts?: Record<string, number>;
  /** Metric id → its figure over the group. */
  scores: Record<string, GroupScore>;
}

/** Scores grouped by one or several item fields. */
export interface GroupSummary {
  by: string[];
  rows: GroupRow[];
}

/** Percentiles of one timing field, in ms. */
export interface TimingSummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** One item of the worst list, for the report. */
export interface WorstItem {
  id: string;
  /** The item's score on the list's metric. */
  score: number;
  prediction: string;
  references: string[];
  /** Absolute path of the item's image, when it has one. */
  image?: string;
}

/** The items with the worst score on the run's first metric, worst first. */
export interface WorstItems {
  /** Metric id the items are ranked by. */
  metric: string;
  direction: 'higher' | 'lower';
  items: WorstItem[];
}

/** Everything a reporter needs about a finished run; written as summary.json. */
export interface RunSummary {
  experiment: string;
  run: string;
  task: string;
  model: string;
  dataset: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  items: { total: number; succeeded: number; failed: number };
  /** Prompt id → items answered (or failed) with it, over the run; absent in summaries from before prompt rules. */
  prompts?: Record<string, number>;
  metrics: MetricSummary[];
  groups: GroupSummary[];
  timing: { latencyMs: TimingSummary | null; ttftMs: TimingSummary | null };
  /** The first failed items, for the report. */
  failures: { id: string; code: string; message: string }[];
  /** The 10 worst-scored items on the first metric; null when the run has no metric. */
  worst: WorstItems | null;
}
