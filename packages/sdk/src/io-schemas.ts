import { z } from 'zod';
import { datasetItemSchema, generationSettingsSchema } from './data.js';

// What each kind consumes and produces, as zod (and so JSON Schema): define*() gives every plugin
// these unless it declares narrower ones itself (seed 004: every task declares its input and output).

const nullableNumber = z.number().nullable();

export const timingSchema = z.object({
  latencyMs: z.number(),
  ttftMs: nullableNumber,
  tpotMs: nullableNumber,
  promptTokens: nullableNumber,
  completionTokens: nullableNumber,
  peakMemoryMb: nullableNumber,
});

export const generationRequestSchema = z.object({
  id: z.string(),
  image: z.string().optional(),
  prompt: z.string(),
  system: z.string().optional(),
  settings: generationSettingsSchema,
});

export const generationResultSchema = z.object({ text: z.string(), timing: timingSchema });

export const metricInputSchema = z.object({ prediction: z.string(), references: z.array(z.string()) });

export const itemScoreSchema = z.object({ score: z.number(), details: z.record(z.string(), z.number()).optional() });

const ciSchema = z.tuple([z.number(), z.number()]).nullable();

const metricSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  direction: z.enum(['higher', 'lower']),
  score: nullableNumber,
  n: z.number().int(),
  ci: ciSchema,
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Prompt id → items answered with it. */
const promptCountsSchema = z.record(z.string(), z.number().int());

const groupScoreSchema = z.object({ score: nullableNumber, ci: ciSchema, n: z.number().int() });

const worstSchema = z
  .object({
    metric: z.string(),
    direction: z.enum(['higher', 'lower']),
    items: z.array(
      z.object({
        id: z.string(),
        score: z.number(),
        prediction: z.string(),
        references: z.array(z.string()),
        image: z.string().optional(),
      }),
    ),
  })
  .nullable();

const timingSummarySchema = z.object({ mean: z.number(), p50: z.number(), p90: z.number(), p99: z.number() }).nullable();

export const runSummarySchema = z.object({
  experiment: z.string(),
  run: z.string(),
  task: z.string(),
  model: z.string(),
  dataset: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  items: z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }),
  prompts: promptCountsSchema.optional(),
  metrics: z.array(metricSummarySchema),
  groups: z.array(
    z.object({
      by: z.array(z.string()),
      rows: z.array(
        z.object({
          key: z.record(z.string(), z.string()),
          n: z.number().int(),
          prompts: promptCountsSchema.optional(),
          scores: z.record(z.string(), groupScoreSchema),
        }),
      ),
    }),
  ),
  timing: z.object({ latencyMs: timingSummarySchema, ttftMs: timingSummarySchema }),
  failures: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
  worst: worstSchema,
});

export const reportFilesSchema = z.array(z.object({ path: z.string(), content: z.string() }));

/** Default input and output schemas of each kind. */
export const kindSchemas = {
  task: { input: datasetItemSchema, output: generationRequestSchema.omit({ settings: true }) },
  dataset: { input: z.object({ root: z.string() }), output: datasetItemSchema },
  adapter: { input: generationRequestSchema, output: generationResultSchema },
  metric: { input: metricInputSchema, output: itemScoreSchema },
  reporter: { input: runSummarySchema, output: reportFilesSchema },
} as const;
