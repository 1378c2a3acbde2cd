import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tesseract from '@vhb/adapter-tesseract';
import cer from '@vhb/metric-cer';
import { executeRun, type PredictionRecord, type RunSpec, type RunSummary } from '@vhb/sdk';
import ocr from '@vhb/task-ocr';
import { describe, expect, it } from 'vitest';
import parquet from '../src/index.js';
import { buildSynthdocParquet } from './fixtures/build-synthdoc-parquet.js';
import { withTempDir } from './helpers.js';

describe('a parquet file with embedded images through the OCR task (real tesseract)', () => {
  it('answers every item from the cached images, with a low CER', { timeout: 300_000 }, async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, 'dataset');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(root);
      const rows = await buildSynthdocParquet(join(root, 'data.parquet'), { count: 4, rowGroupSize: 2 });
      const spec: RunSpec = {
        experiment: 'parquet-e2e',
        run: 'ocr-tesseract',
        outDir: join(dir, 'out'),
        task: { name: 'ocr' },
        dataset: { name: 'synthdoc-parquet', root, options: { columns: { references: 'text' } } },
        model: { name: 'tesseract', model: 'tesseract-eng', modelId: 'eng', options: { workers: 1 } },
        settings: {},
        metrics: [{ name: 'cer' }],
        reporters: [],
        groupBy: [['doc_type']],
      };
      await executeRun(spec, { task: ocr, dataset: parquet, adapter: tesseract, metrics: [cer], reporters: [] });

      const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as RunSummary;
      expect(summary.items).toEqual({ total: 4, succeeded: 4, failed: 0 });
      const predictions = (await readFile(join(dir, 'out', 'predictions.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as PredictionRecord);
      expect(predictions.map((p) => p.id).sort()).toEqual(rows.map((row) => row.id).sort());
      for (const prediction of predictions) {
        expect(prediction.error).toBeNull();
        expect(prediction.prediction?.length).toBeGreaterThan(20);
        // The image the model saw is the cached copy inside the dataset root.
        expect(prediction.image?.startsWith(join(root, '.vhb-cache', 'images'))).toBe(true);
        expect(prediction.references).toEqual([rows.find((row) => row.id === prediction.id)?.text]);
      }
      const score = summary.metrics.find((metric) => metric.id === 'cer@1')?.score;
      // Tesseract reads these clean renders almost perfectly (the jsonl demo run scores under 0.05).
      expect(score).toBeLessThan(0.05);
    });
  });
});
