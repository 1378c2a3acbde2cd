import { describe, expect, it } from 'vitest';
import { datasetMain, runDatasetBench } from '../src/dataset/main.js';

describe('bench:dataset', () => {
  it('iterates every generated row through dataset-jsonl and the selection, and prints rows/s and the peak RSS', async () => {
    const result = await runDatasetBench(2000);
    // doc_type cycles receipt, invoice, form, letter: a quarter of the rows are invoices.
    expect(result.iterator.kept).toBe(500);
    expect(result.rows).toBe(2000);
    let printed = '';
    expect(await datasetMain(['--rows', '400'], { write: (text: string) => (printed += text) })).toBe(0);
    expect(printed).toMatch(/^VLMHyperBench dataset streaming benchmark: 400 JSON Lines rows \(\d+\.\d MB\)/);
    expect(printed).toMatch(/\nbaseline {2}readline \+ JSON\.parse: [\d,]+ rows\/s\n/);
    expect(printed).toMatch(
      /\nours {6}dataset-jsonl \+ selectItems \(filter doc_type = invoice, 100 kept\): [\d,]+ rows\/s \(\d+% of the baseline\)\n/,
    );
    expect(printed).toMatch(/\npeak RSS {2}\d+\.\d MB \(goal < 200\.0 MB: (met|NOT met)\)\n$/);
  });

  it('refuses a bad --rows with exit code 2', async () => {
    expect(await datasetMain(['--rows', 'many'], { write: () => {} })).toBe(2);
  });
});
