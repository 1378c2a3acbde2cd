import { open, stat } from 'node:fs/promises';
import type { DatasetItem, GenerationSettings, PredictionRecord } from '../data.js';
import { forEachLimited } from '../limit.js';
import type { AdapterSession, PromptTemplate, TaskPlugin } from '../plugins.js';
import { readJsonl } from './jsonl.js';
import type { RunEvent } from './spec.js';

/** Latest record per item id, in file order; a later line for an id replaces an earlier one. */
export async function readPredictions(path: string): Promise<Map<string, PredictionRecord>> {
  const records = new Map<string, PredictionRecord>();
  for await (const record of readJsonl<PredictionRecord>(path)) records.set(record.id, record);
  return records;
}

/** Opens a JSONL file for appending, first ending a torn last line so the next record starts clean. */
async function openForAppend(path: string) {
  const handle = await open(path, 'a');
  const size = (await stat(path)).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    const reader = await open(path, 'r');
    await reader.read(last, 0, 1, size - 1).finally(() => reader.close());
    if (last[0] !== 0x0a) await handle.write('\n');
  }
  return handle;
}

export interface InferenceInput {
  items: DatasetItem[];
  task: TaskPlugin<any>;
  taskOptions: unknown;
  prompt: PromptTemplate;
  settings: GenerationSettings;
  /** Opens the adapter session; called only when some item still needs an answer. */
  openSession: () => Promise<AdapterSession>;
  predictionsPath: string;
  signal?: AbortSignal;
  onEvent: (event: RunEvent) => void;
}

/**
 * Answers every item not answered yet, appending one line per item to predictions.jsonl as it
 * finishes. Items answered in an earlier run are not asked again; items that failed are retried.
 */
export async function runInference(input: InferenceInput): Promise<Map<string, PredictionRecord>> {
  const records = await readPredictions(input.predictionsPath);
  const pending = input.items.filter((item) => records.get(item.id)?.prediction == null);
  let done = input.items.length - pending.length;
  input.onEvent({ type: 'inference-start', total: input.items.length, done });
  if (pending.length === 0 || input.signal?.aborted) return records;
  const session = await input.openSession();
  const handle = await openForAppend(input.predictionsPath);
  try {
    await forEachLimited(
      pending.length,
      session.concurrency,
      async (index) => {
        const item = pending[index] as DatasetItem;
        const record = await answer(item, session, input);
        await handle.write(`${JSON.stringify(record)}\n`);
        records.set(item.id, record);
        done += 1;
        input.onEvent({ type: 'item', id: item.id, ok: record.error === null, done, total: input.items.length });
      },
      input.signal,
    );
  } finally {
    await handle.close();
    await session.close();
  }
  return records;
}

async function answer(item: DatasetItem, session: AdapterSession, input: InferenceInput): Promise<PredictionRecord> {
  const base = {
    id: item.id,
    references: item.references,
    metadata: item.metadata,
    ...(item.image ? { image: item.image } : {}),
    prompt: input.prompt.id,
  };
  try {
    const request = input.task.buildRequest(item, input.prompt, input.taskOptions);
    const result = await session.generate({ ...request, settings: input.settings }, input.signal);
    const prediction = input.task.parseAnswer ? input.task.parseAnswer(result.text, item, input.taskOptions) : result.text.trim();
    return { ...base, prediction, raw: result.text, timing: result.timing, error: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    return {
      ...base,
      prediction: null,
      raw: null,
      timing: null,
      error: { code: typeof code === 'string' ? code : 'VHB_E_ITEM_GENERATE', message },
    };
  }
}
