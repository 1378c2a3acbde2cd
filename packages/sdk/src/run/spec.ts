import { z } from 'zod';
import { generationSettingsSchema } from '../data.js';
import { datasetSelectionSchema } from '../dataset-select.js';
import type { AdapterPlugin, DatasetPlugin, MetricPlugin, ReporterPlugin, TaskPlugin } from '../plugins.js';

const pluginUse = z.object({ name: z.string(), options: z.unknown().optional() });
const promptTemplateSchema = z.object({ id: z.string(), system: z.string().optional(), user: z.string() });
const promptScalar = z.union([z.string(), z.number(), z.boolean()]);
const promptCondition = z.union([promptScalar, z.array(promptScalar)]);

/**
 * How a run drives its model: retries, the per-item timeout, the response cache and the model's
 * concurrency. Every field has a default (see `INFERENCE_DEFAULTS`).
 */
export const inferenceSpecSchema = z.strictObject({
  /** Requests at most per item, the first included (1 = no retry). */
  maxAttempts: z.number().int().min(1).optional(),
  /** Base of the exponential backoff: attempt n waits a random time in [0, backoffMs · 2^(n-1)] (full jitter). */
  backoffMs: z.number().int().min(0).optional(),
  /** Cap of one wait, the server's `Retry-After` included. */
  maxBackoffMs: z.number().int().min(0).optional(),
  /** Wall-clock limit for one item, every attempt and wait included. */
  itemTimeoutMs: z.number().int().positive().optional(),
  /** Answers are looked up in and saved to the response cache (on unless false). */
  cache: z.boolean().optional(),
  /** Requests in flight at once for this model, shared by every run of a plan that uses it. */
  concurrency: z.number().int().positive().optional(),
});
export type InferenceSpec = z.infer<typeof inferenceSpecSchema>;

/** One run, fully resolved: what the host hands a task (in process, or as run.json to the task's bin). */
export const runSpecSchema = z.object({
  experiment: z.string(),
  run: z.string(),
  /** Absolute folder the run writes its results into. */
  outDir: z.string(),
  task: pluginUse,
  dataset: pluginUse.extend({
    root: z.string(),
    limit: z.number().int().positive().optional(),
    filter: datasetSelectionSchema.shape.filter,
    shuffle: datasetSelectionSchema.shape.shuffle,
  }),
  model: pluginUse.extend({ model: z.string(), modelId: z.string().optional(), endpoint: z.string().optional() }),
  prompt: promptTemplateSchema.optional(),
  /**
   * Prompt rules, instead of one `prompt`: each item gets the prompt of the most specific rule whose
   * `when` it meets (see `selectPrompt`). Absent: `prompt` (or the task's default) for every item.
   */
  promptRules: z.array(z.object({ prompt: promptTemplateSchema, when: z.record(z.string(), promptCondition).optional() })).optional(),
  settings: generationSettingsSchema.default({}),
  metrics: z.array(pluginUse),
  reporters: z.array(pluginUse).default([]),
  /** Item fields to group scores by: each entry is one grouping, of one or several fields. */
  groupBy: z.array(z.array(z.string())).default([]),
  /** Retries, per-item timeout, response cache, concurrency; defaults when absent. */
  inference: inferenceSpecSchema.optional(),
  /** The project's cache folder; the response cache lives under `<cacheDir>/responses/`. No cache without it. */
  cacheDir: z.string().optional(),
});
export type RunSpec = z.infer<typeof runSpecSchema>;

/** The run file a task's bin reads: the spec, plus the entry file of each plugin it uses. */
export const runFileSchema = z.object({
  spec: runSpecSchema,
  entries: z.object({
    /** Ignored by a task's own bin, which runs its own task. */
    task: z.string().optional(),
    dataset: z.string(),
    adapter: z.string(),
    metrics: z.array(z.string()),
    reporters: z.array(z.string()).default([]),
  }),
});
export type RunFile = z.infer<typeof runFileSchema>;

/** The loaded plugins a run uses, in the order of the spec's lists. */
export interface RunPlugins {
  task: TaskPlugin<any>;
  dataset: DatasetPlugin<any>;
  adapter: AdapterPlugin<any>;
  metrics: MetricPlugin<any>[];
  reporters: ReporterPlugin<any>[];
}

/** How one file of a dataset sync ended. */
export type SyncFileStatus =
  /** Already in the cache and unchanged since it was verified (size and mtime match its stamp). */
  | 'cached'
  /** Already in the cache, hashed now and found right. */
  | 'verified'
  /** Fetched from the store (missing, or its size or sha256 differed). */
  | 'downloaded'
  /** Fetched by continuing an interrupted download. */
  | 'resumed';

/** Progress of a dataset sync (`@vhb/storage`), reported among a run's events before inference. */
export type SyncEvent =
  | { type: 'sync-start'; dataset: string; total: number; bytes: number }
  | { type: 'sync-file'; path: string; status: SyncFileStatus; done: number; total: number; bytesDone: number; bytes: number }
  | {
      type: 'sync-done';
      dataset: string;
      total: number;
      cached: number;
      verified: number;
      downloaded: number;
      resumed: number;
      bytesDownloaded: number;
      durationMs: number;
    };

/** What a run reports while it works. */
export type RunEvent =
  | SyncEvent
  | { type: 'stage'; stage: 'inference' | 'evaluation' | 'report' }
  | { type: 'inference-start'; total: number; done: number }
  | { type: 'item'; id: string; ok: boolean; done: number; total: number; cached?: boolean; attempts?: number }
  | { type: 'retry'; id: string; attempt: number; code: string; message: string; waitMs: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string };
