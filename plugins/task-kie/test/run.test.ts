import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import json from '@vhb/metric-json';
import {
  type DatasetItem,
  defineAdapter,
  defineDataset,
  executeRun,
  type GenerationRequest,
  type PredictionRecord,
  type RunSpec,
} from '@vhb/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import kie from '../src/index.js';

// What the fake model answers per item: fences, prose, an extra key, one answer cut off mid-object.
const ANSWERS: Record<string, string> = {
  r1: '```json\n{"total": "27.16", "merchant": "Home Hardware", "date": "2021-12-06"}\n```',
  r2: 'Sure! Here is the JSON:\n{"merchant": "CORNER CAFE", "date": "2022-03-07", "total": "8.40"}\nHope this helps.',
  i1: '{"number": "INV-0042", "date": "2023-04-17", "total": 1234.56,',
  i2: '```\n{"date": "2023-05-02", "number": "INV-7", "total": 99, "currency": "USD"}\n```',
};

let dir: string;
let asked: GenerationRequest[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vhb-task-kie-'));
  asked = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function items(root: string): DatasetItem[] {
  const receipt = { doc_type: 'receipt', fields: 'merchant, date, total' };
  const invoice = { doc_type: 'invoice', fields: 'number, date, total' };
  return [
    {
      id: 'r1',
      image: join(root, 'r1.png'),
      references: ['{"merchant":"HOME HARDWARE","date":"2021-12-06","total":"27.16"}'],
      metadata: receipt,
    },
    {
      id: 'r2',
      image: join(root, 'r2.png'),
      references: ['{"merchant":"CORNER CAFE","date":"2022-03-01","total":"8.40"}'],
      metadata: receipt,
    },
    {
      id: 'i1',
      image: join(root, 'i1.png'),
      references: ['{"number":"INV-0042","date":"2023-04-17","total":"1234.56"}'],
      metadata: invoice,
    },
    { id: 'i2', image: join(root, 'i2.png'), references: ['{"number":"INV-7","date":"2023-05-02","total":"99.00"}'], metadata: invoice },
    // No image: the task refuses it, and only it.
    { id: 'x1', references: ['{"number":"1"}'], metadata: invoice },
  ];
}

const readLines = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);

describe('kie end to end: executeRun with a fake model and metric-json', () => {
  it('parses every answer, records the broken one as a structural failure and scores the fields', async () => {
    const root = join(dir, 'dataset');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(root);
    for (const id of ['r1', 'r2', 'i1', 'i2']) await writeFile(join(root, `${id}.png`), 'not really a png');

    const dataset = defineDataset({
      name: 'kie-memory',
      version: '0.0.0',
      description: 'items in memory',
      async *items(source) {
        yield* items(source.root);
      },
    });
    const adapter = defineAdapter({
      name: 'kie-fake',
      version: '0.0.0',
      description: 'answers from a table',
      async open() {
        return {
          concurrency: 1,
          async generate(request) {
            asked.push(request);
            return {
              text: ANSWERS[request.id] ?? '',
              timing: { latencyMs: 5, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null },
            };
          },
          async close() {},
        };
      },
    });
    const spec: RunSpec = {
      experiment: 'kie-e2e',
      run: 'kie-fake',
      outDir: join(dir, 'out'),
      task: { name: 'kie' },
      dataset: { name: 'kie-memory', root },
      model: { name: 'kie-fake', model: 'kie-fake' },
      settings: { maxTokens: 256, temperature: 0 },
      metrics: [{ name: 'json' }],
      reporters: [],
      groupBy: [['doc_type']],
    };
    const summary = await executeRun(spec, { task: kie, dataset, adapter, metrics: [json], reporters: [] });

    // The model saw the image and the item's own fields in the default prompt.
    const r1 = asked.find((request) => request.id === 'r1');
    expect(r1?.image).toBe(join(root, 'r1.png'));
    expect(r1?.prompt.startsWith('Extract these fields from the document: merchant, date, total.\n')).toBe(true);
    expect(asked.find((request) => request.id === 'i1')?.prompt).toContain(': number, date, total.');
    expect(asked.map((request) => request.id).sort()).toEqual(['i1', 'i2', 'r1', 'r2']);

    const predictions = await readLines<PredictionRecord>(join(dir, 'out', 'predictions.jsonl'));
    const byId = new Map(predictions.map((p) => [p.id, p]));
    expect(byId.get('r1')?.prediction).toBe('{"merchant":"Home Hardware","date":"2021-12-06","total":"27.16"}');
    expect(byId.get('r2')?.prediction).toBe('{"merchant":"CORNER CAFE","date":"2022-03-07","total":"8.40"}');
    // Cut off: no object, so the raw text goes to the metric.
    expect(byId.get('i1')?.prediction).toBe(ANSWERS.i1);
    expect(byId.get('i2')?.prediction).toBe('{"number":"INV-7","date":"2023-05-02","total":99,"currency":"USD"}');
    expect(byId.get('r1')?.raw).toBe(ANSWERS.r1);
    expect(byId.get('r1')?.prompt).toBe('kie-default');
    expect(byId.get('x1')?.error?.code).toBe('VHB_E_TASK_NO_IMAGE');
    expect(byId.get('x1')?.error?.message).toContain('x1');

    // Per item (tp, fp, fn): r1 3,0,0 (case folded) -> 1; r2 2,1,1 (wrong date) -> 4/6;
    // i1 unparsed 0,0,3 -> 0; i2 3,1,0 ("99.00" = 99, currency extra) -> 6/7.
    const metrics = await readLines<{ id: string; score: number | null; details?: Record<string, number> }>(
      join(dir, 'out', 'metrics.jsonl'),
    );
    const score = (id: string) => metrics.find((m) => m.id === id);
    expect(score('r1')?.score).toBe(1);
    expect(score('r2')?.score).toBeCloseTo(2 / 3, 12);
    expect(score('i1')?.score).toBe(0);
    expect(score('i1')?.details).toEqual({ parsed: 0, tp: 0, fp: 0, fn: 3 });
    expect(score('i2')?.score).toBeCloseTo(6 / 7, 12);
    expect(score('i2')?.details).toEqual({ parsed: 1, tp: 3, fp: 1, fn: 0 });
    expect(score('x1')).toBeUndefined();

    // Run: Σtp 8, Σfp 2, Σfn 4 -> F1 16/22, precision 8/10, recall 8/12; 3 of 4 answers parsed.
    expect(summary.items).toEqual({ total: 5, succeeded: 4, failed: 1 });
    const run = summary.metrics.find((metric) => metric.id === 'json@1');
    expect(run?.n).toBe(4);
    expect(run?.score).toBeCloseTo(16 / 22, 12);
    expect(run?.details?.structuralFidelity).toBe(0.75);
    expect(run?.details?.precision).toBeCloseTo(0.8, 12);
    expect(run?.details?.recall).toBeCloseTo(8 / 12, 12);

    // By doc_type: receipt 5,1,1 -> 10/12; invoice 3,1,3 -> 6/10.
    const rows = summary.groups.find((group) => group.by.join() === 'doc_type')?.rows ?? [];
    const group = (docType: string) => rows.find((row) => row.key.doc_type === docType)?.scores['json@1']?.score;
    expect(group('receipt')).toBeCloseTo(10 / 12, 12);
    expect(group('invoice')).toBeCloseTo(0.6, 12);
  });
});
