import { type RunEvent, type RunSummary, runSummarySchema, z } from '@vhb/sdk';

// What a task's bin prints on stdout with `--events` (see runTaskBin in @vhb/sdk): one JSON object a line.
const binLineSchema = z.discriminatedUnion('vhb', [
  z.object({ vhb: z.literal('event'), event: z.looseObject({ type: z.string() }) }),
  z.object({
    vhb: z.literal('summary'),
    summary: z.looseObject({}),
    reports: z.array(z.object({ name: z.string(), files: z.array(z.string()) })),
  }),
  z.object({ vhb: z.literal('error'), code: z.string(), message: z.string(), hint: z.string().optional() }),
]);

/** One line of a task bin's `--events` output, understood. */
export type BinLine =
  | { vhb: 'event'; event: RunEvent }
  | { vhb: 'summary'; summary: RunSummary; reports: { name: string; files: string[] }[] }
  | { vhb: 'error'; code: string; message: string; hint?: string };

/** The line as the bin meant it, or undefined for anything else a plugin printed on stdout. */
export function parseBinLine(line: string): BinLine | undefined {
  if (!line.startsWith('{"vhb":')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = binLineSchema.safeParse(json);
  if (!parsed.success) return undefined;
  // The summary is checked whole, but handed on as written: the schema would drop fields it does not know.
  if (parsed.data.vhb === 'summary' && !runSummarySchema.safeParse(parsed.data.summary).success) return undefined;
  return json as BinLine;
}
