import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterContext } from '@vhb/sdk';

export const synthdoc = fileURLToPath(new URL('../../../datasets/synthdoc/', import.meta.url));

export const russianInstalled = existsSync('/usr/share/tesseract-ocr/5/tessdata/rus.traineddata');

export function context(modelId?: string, env: Record<string, string | undefined> = {}): AdapterContext {
  return { logger: { debug() {}, info() {}, warn() {} }, env, model: { name: 'tesseract', modelId } };
}

export interface OcrRow {
  id: string;
  image: string;
  references: string[];
  doc_type: string;
}

export function ocrRows(language: 'en' | 'ru'): OcrRow[] {
  return readFileSync(join(synthdoc, `ocr-${language}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as OcrRow);
}

/** Edit distance (insertions, deletions, substitutions), two-row dynamic programming. */
export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/** Share of the reference's characters read right: 1 - CER. */
export function accuracy(prediction: string, reference: string): number {
  return 1 - levenshtein(prediction, reference) / [...reference].length;
}
