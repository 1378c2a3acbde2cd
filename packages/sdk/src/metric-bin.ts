import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { VhbError } from './errors.js';
import { timingSchema } from './io-schemas.js';
import type { ItemScore, MetricPlugin } from './plugins.js';
import { metricId } from './run/evaluation.js';
import { parseOptions } from './run/options.js';
import { mean } from './stats.js';

/** Where a metric bin reads and writes; the process's streams unless a test passes its own. */
export interface MetricBinIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const lineSchema = z.object({
  id: z.string().min(1),
  prediction: z.string(),
  references: z.array(z.string()),
  /** Optional, for metrics that read more than the text (metric-performance reads the timing). */
  metadata: z.record(z.string(), z.unknown()).default({}),
  // Only the latency is required; the other timing fields default to null (unknown).
  timing: timingSchema
    .partial()
    .required({ latencyMs: true })
    .transform((t) => ({ ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null, ...t }))
    .nullable()
    .default(null),
  raw: z.string().nullable().default(null),
});

const usage = (name: string) => `Usage: vhb-metric-${name} [file.jsonl] [--options '<json>']

Scores predictions with the ${name} metric. Reads JSON Lines, one item a line:
  {"id": "...", "prediction": "...", "references": ["..."]}
(optionally with "metadata", "timing" and "raw", as in predictions.jsonl) from the file, or from stdin when no file is given. Prints one JSON object:
  {"metric": "${name}@<algorithmVersion>[/<dialect>]", "score": <aggregate>, "details"?: {...},
   "items": [{"id": "...", "score": <n>}]}
Exit status: 0 scored, 2 bad input or options.`;

/** Thrown for input the bin refuses; reported with its line number and exit status 2. */
class BadLine extends Error {}

async function scoreLines<O>(metric: MetricPlugin<O>, options: O, input: NodeJS.ReadableStream) {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const items: { id: string; score: number }[] = [];
  const scores: ItemScore[] = [];
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new BadLine(`line ${number}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`);
      throw new BadLine(`line ${number}: ${problems.join('; ')}`);
    }
    const { id, prediction, references, metadata, timing, raw } = parsed.data;
    let result: ItemScore;
    try {
      result = metric.score(prediction, references, options, { id, metadata, timing, raw });
    } catch (error) {
      throw new BadLine(`line ${number} (id "${id}"): ${(error as Error).message}`);
    }
    scores.push(result);
    items.push({ id, score: result.score });
  }
  return { items, scores };
}

/**
 * The `bin` of a metric package (`vhb-metric-cer file.jsonl`): scores JSON Lines of predictions
 * outside any run, for a quick check or a comparison with another implementation.
 * Resolves to the exit status: 0 when scored, 2 for bad input, 1 for anything else.
 */
export async function runMetricBin<O>(metric: MetricPlugin<O>, argv = process.argv.slice(2), io?: MetricBinIo): Promise<number> {
  const { stdin, stdout, stderr } = io ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  let values: { options?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { options: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    stderr.write(`✖ ${(error as Error).message}\n\n${usage(metric.name)}\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${usage(metric.name)}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    stderr.write(`✖ expected at most one input file, got ${positionals.length}: ${positionals.join(' ')}\n\n${usage(metric.name)}\n`);
    return 2;
  }
  try {
    let rawOptions: unknown = {};
    if (values.options !== undefined) {
      try {
        rawOptions = JSON.parse(values.options);
      } catch (cause) {
        throw new VhbError('VHB_E_PLUGIN_OPTIONS', `--options is not valid JSON: ${values.options}`, {
          hint: `pass a JSON object, e.g. --options '{}'`,
          cause,
        });
      }
    }
    const options = parseOptions(metric, rawOptions);
    const [file] = positionals;
    const input = file === undefined ? stdin : createReadStream(file, 'utf8');
    const { items, scores } = await scoreLines(metric, options, input);
    const aggregate = scores.length === 0 ? null : metric.aggregate ? metric.aggregate(scores, options) : mean(scores.map((s) => s.score));
    const score = typeof aggregate === 'object' && aggregate !== null ? aggregate.score : aggregate;
    const details = typeof aggregate === 'object' && aggregate?.details ? { details: aggregate.details } : {};
    stdout.write(`${JSON.stringify({ metric: metricId(metric, options), score, ...details, items })}\n`);
    return 0;
  } catch (error) {
    const hint = error instanceof VhbError && error.hint ? `\n  ${error.hint}` : '';
    stderr.write(`✖ ${(error as Error).message}${hint}\n`);
    const code = (error as { code?: unknown }).code;
    return error instanceof BadLine || code === 'VHB_E_PLUGIN_OPTIONS' || code === 'ENOENT' ? 2 : 1;
  }
}
