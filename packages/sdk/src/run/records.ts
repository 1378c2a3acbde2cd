import type { DatasetItem, GenerationResult, PredictionRecord } from '../data.js';
import type { TaskPlugin } from '../plugins.js';

/** Prompt id recorded on an item whose prompt could not be chosen. */
export const NO_PROMPT = '(none)';

export function codeOf(error: unknown, fallback = 'VHB_E_ITEM_GENERATE'): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The record of an item that failed. Records are built field by field in one fixed order (that of
 * the file's lines), without spreads: one per item, thousands a second.
 */
export function failedRecord(
  item: DatasetItem,
  prompt: string,
  error: { code: string; message: string },
  attempts: number,
): PredictionRecord {
  const record: PredictionRecord = { id: item.id, references: item.references, metadata: item.metadata } as PredictionRecord;
  if (item.image) record.image = item.image;
  record.prompt = prompt;
  record.prediction = null;
  record.raw = null;
  record.timing = null;
  record.attempts = attempts;
  record.error = { code: error.code, message: error.message, attempts };
  return record;
}

/** The record of an answered item: the task parses the answer; a parse that throws fails the item, keeping the raw text. */
export function answeredRecord(
  item: DatasetItem,
  prompt: string,
  task: TaskPlugin<any>,
  taskOptions: unknown,
  result: GenerationResult,
  attempts: number,
  hit: boolean,
): PredictionRecord {
  const { text, timing } = result;
  let prediction: string | null;
  let error: PredictionRecord['error'] = null;
  try {
    prediction = task.parseAnswer ? task.parseAnswer(text, item, taskOptions) : text.trim();
  } catch (thrown) {
    prediction = null;
    error = { code: codeOf(thrown), message: messageOf(thrown), attempts };
  }
  // The usual record (no image, no structured output, not from the cache) in one literal.
  if (!item.image && !result.output && !hit) {
    return { id: item.id, references: item.references, metadata: item.metadata, prompt, prediction, raw: text, timing, attempts, error };
  }
  const record: PredictionRecord = { id: item.id, references: item.references, metadata: item.metadata } as PredictionRecord;
  if (item.image) record.image = item.image;
  record.prompt = prompt;
  if (result.output) record.output = result.output;
  record.prediction = prediction;
  record.raw = text;
  record.timing = timing;
  record.attempts = attempts;
  if (hit) record.cache = 'hit';
  record.error = error;
  return record;
}
