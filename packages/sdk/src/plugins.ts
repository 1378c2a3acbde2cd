import type { PluginMeta } from './contract.js';
import type { DatasetItem, GenerationRequest, GenerationResult, Timing } from './data.js';
import type { RunSummary } from './summary.js';

/** Minimal logger the host hands to plugins; messages are masked for secrets by the host. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** What every hook receives besides its options. */
export interface PluginContext {
  logger: Logger;
  /** Aborted when the user interrupts the run. */
  signal?: AbortSignal;
  /** Environment the plugin may read (endpoints, keys). */
  env: Record<string, string | undefined>;
}

// ---------- dataset ----------

/** Where a dataset lives, as the registry entry resolves it. */
export interface DatasetSource {
  /** Absolute folder holding the dataset's files. */
  root: string;
}

/** A dataset iterator: turns files under a root into items. */
export interface DatasetPlugin<Options = unknown> extends PluginMeta<Options> {
  kind: 'dataset';
  /** Yields every item of the dataset, in a stable order. Image paths must be absolute and inside `source.root`. */
  items(source: DatasetSource, options: Options, ctx: PluginContext): AsyncIterable<DatasetItem>;
  /** Counts the items cheaply, for progress bars; optional. */
  count?(source: DatasetSource, options: Options, ctx: PluginContext): Promise<number>;
}

// ---------- adapter ----------

/** The model an adapter serves, from the models registry. */
export interface ModelInfo {
  name: string;
  /** Engine-side model id (e.g. `Qwen/Qwen2-VL-7B-Instruct`, or a tesseract language). */
  modelId?: string;
  /** Base URL of an OpenAI-compatible endpoint, when there is one. */
  endpoint?: string;
}

export interface AdapterContext extends PluginContext {
  model: ModelInfo;
}

/** An open connection to a model: created once per run, closed at the end. */
export interface AdapterSession {
  /** How many requests the session serves at once (workers, connections). */
  concurrency: number;
  /** Answers one request. Throw to fail the item; the host records the error and goes on. */
  generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult>;
  /** Frees workers and connections. */
  close(): Promise<void>;
}

/** A model adapter: reaches an engine (in-process, or over HTTP). */
export interface AdapterPlugin<Options = unknown> extends PluginMeta<Options> {
  kind: 'adapter';
  /** Runs before a run starts: returns why the adapter cannot run here (and what to do), or undefined when it can. */
  unavailable?(options: Options, ctx: AdapterContext): Promise<string | undefined>;
  /** Opens a session; called once per run. */
  open(options: Options, ctx: AdapterContext): Promise<AdapterSession>;
  /**
   * What, besides the model entry and the request, decides this adapter's answers — the endpoint
   * and model id it resolved (from the environment too), engine options — as plain JSON. It is part
   * of the response-cache key, so never put a secret in it. Default: the adapter's parsed options.
   */
  identity?(options: Options, ctx: AdapterContext): unknown;
}

// ---------- task ----------

/** A prompt template; `{{question}}` and `{{metadata.<key>}}` are filled from the item. */
export interface PromptTemplate {
  id: string;
  system?: string;
  user: string;
}

/** A task type (ocr, vqa, classification): how an item becomes a request and an answer becomes a prediction. */
export interface TaskPlugin<Options = unknown> extends PluginMeta<Options> {
  kind: 'task';
  /** Prompt used when the run names none. */
  defaultPrompt: PromptTemplate;
  /** Metrics the task is scored with when the run names none. */
  defaultMetrics: string[];
  /** Builds the request for one item; settings are added by the host. */
  buildRequest(item: DatasetItem, prompt: PromptTemplate, options: Options): Omit<GenerationRequest, 'settings'>;
  /** Turns the model's raw text into the prediction the metrics score. Default: the text, trimmed. */
  parseAnswer?(raw: string, item: DatasetItem, options: Options): string;
}

// ---------- metric ----------

/** A metric's verdict on one item. */
export interface ItemScore {
  score: number;
  /** Numbers the aggregate needs or users want (edit counts, reference length, ...). */
  details?: Record<string, number>;
  /**
   * Sub-scores of the item, each with labels results can be grouped by: one per JSON field
   * (`{ field_name: 'total' }`), for instance. Grouping by a label key groups these parts.
   */
  parts?: ScorePart[];
}

/** One labelled sub-score of an item. */
export interface ScorePart {
  labels: Record<string, string>;
  score: number;
  details?: Record<string, number>;
}

/** What an aggregate may return besides the figure: tables a report shows (per-class F1, a confusion matrix, percentiles). */
export interface AggregateResult {
  score: number;
  details?: Record<string, unknown>;
}

/** The answered item a metric scores, for metrics that need more than the text (timing, metadata). */
export interface ScoredItem {
  id: string;
  metadata: Record<string, unknown>;
  timing: Timing | null;
  /** The model's raw text, before the task parsed it. */
  raw: string | null;
}

/** A metric: scores one item, then combines the item scores. */
export interface MetricPlugin<Options = unknown> extends PluginMeta<Options> {
  kind: 'metric';
  /** Bumped whenever a number the metric produces could change; results carry `name@algorithmVersion`. */
  algorithmVersion: number;
  /** Whether a higher or a lower score is better. */
  direction: 'higher' | 'lower';
  /**
   * Earlier algorithm versions the package still provides, so a run can pin one (`anls@1`) and
   * reproduce old numbers; each is a complete metric with its own `algorithmVersion`.
   */
  previousVersions?: readonly MetricPlugin<any>[];
  /**
   * Peers whose computation this metric can reproduce, chosen with the `dialect` option
   * (`lmms-eval`, `vlmevalkit`, ...); the first is the default. Results of a non-default dialect
   * carry it in their id: `anls@1/vlmevalkit`.
   */
  dialects?: readonly string[];
  /** Scores one prediction against its references. Pure and synchronous. */
  score(prediction: string, references: readonly string[], options: Options, item?: ScoredItem): ItemScore;
  /** Combines the item scores into one figure (and optional tables). Default: the mean of the scores. */
  aggregate?(scores: readonly ItemScore[], options: Options): number | AggregateResult;
}

// ---------- reporter ----------

/** A file a reporter wants written, relative to the run's results folder. */
export interface ReportFile {
  path: string;
  content: string;
}

/** A reporter: renders a finished run's summary. */
export interface ReporterPlugin<Options = unknown> extends PluginMeta<Options> {
  kind: 'reporter';
  /** Renders the summary to files; the host writes them into the run's folder. */
  render(summary: RunSummary, options: Options, ctx: PluginContext): ReportFile[] | Promise<ReportFile[]>;
}

export type AnyPlugin = TaskPlugin<any> | DatasetPlugin<any> | AdapterPlugin<any> | MetricPlugin<any> | ReporterPlugin<any>;

/** Maps a kind to its plugin type. */
export interface PluginByKind {
  task: TaskPlugin<any>;
  dataset: DatasetPlugin<any>;
  adapter: AdapterPlugin<any>;
  metric: MetricPlugin<any>;
  reporter: ReporterPlugin<any>;
}
