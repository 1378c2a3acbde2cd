import { z } from 'zod';
import { generationSettingsSchema } from '../data.js';
import type { AdapterPlugin, DatasetPlugin, MetricPlugin, ReporterPlugin, TaskPlugin } from '../plugins.js';

const pluginUse = z.object({ name: z.string(), options: z.unknown().optional() });

/** One run, fully resolved: what the host hands a task (in process, or as run.json to the task's bin). */
export const runSpecSchema = z.object({
  experiment: z.string(),
  run: z.string(),
  /** Absolute folder the run writes its results into. */
  outDir: z.string(),
  task: pluginUse,
  dataset: pluginUse.extend({ root: z.string(), limit: z.number().int().positive().optional() }),
  model: pluginUse.extend({ model: z.string(), modelId: z.string().optional(), endpoint: z.string().optional() }),
  prompt: z.object({ id: z.string(), system: z.string().optional(), user: z.string() }).optional(),
  settings: generationSettingsSchema.default({}),
  metrics: z.array(pluginUse),
  reporters: z.array(pluginUse).default([]),
  /** Item fields to group scores by: each entry is one grouping, of one or several fields. */
  groupBy: z.array(z.array(z.string())).default([]),
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

/** What a run reports while it works. */
export type RunEvent =
  | { type: 'stage'; stage: 'inference' | 'evaluation' | 'report' }
  | { type: 'inference-start'; total: number; done: number }
  | { type: 'item'; id: string; ok: boolean; done: number; total: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; message: string };
