import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DatasetItem,
  defineAdapter,
  defineDataset,
  defineMetric,
  defineReporter,
  defineTask,
  executeRun,
  percentile,
  type RunPlugins,
  type RunSpec,
  runSummarySchema,
} from '../src/index.js';

let dir: string;
let asked: string[];

const items = (): DatasetItem[] => [
  { id: 'a', question: 'one', references: ['one'], metadata: { doc_type: 'form' } },
  { id: 'b', question: 'two', image: join(dir, 'b.png'), references: ['TWO'], metadata: { doc_type: 'form' } },
  { id: 'c', question: 'three', references: ['three'], metadata: { doc_type: 'letter' } },
  { id: 'd', question: 'boom', references: ['x'], metadata: { doc_type: 'letter' } },
];

function plugins(): RunPlugins {
  return {
    task: defineTask({
      name: 'echo',
      version: '1.0.0',
      description: 'echo',
      defaultPrompt: { id: 'p1', user: '{{question}}' },
      defaultMetrics: ['same'],
      buildRequest: (item) => ({ id: item.id, prompt: item.question ?? '' }),
    }),
    dataset: defineDataset({
      name: 'mem',
      version: '1.0.0',
      description: 'in memory',
      async *items() {
        yield* items();
      },
    }),
    adapter: defineAdapter({
      name: 'echo',
      version: '1.0.0',
      description: 'echo',
      async open() {
        return {
          concurrency: 2,
          async generate(request) {
            asked.push(request.id);
            if (request.prompt === 'boom') throw Object.assign(new Error('engine exploded'), { code: 'E_BOOM' });
            return {
              text: ` ${request.prompt} `,
              timing: {
                latencyMs: request.id.charCodeAt(0),
                ttftMs: null,
                tpotMs: null,
                promptTokens: null,
                completionTokens: null,
                peakMemoryMb: null,
              },
            };
          },
          async close() {},
        };
      },
    }),
    metrics: [
      defineMetric({
        name: 'same',
        version: '1.0.0',
        description: 'equality',
        algorithmVersion: 2,
        direction: 'higher',
        score: (p, refs) => ({ score: p === refs[0] ? 1 : 0 }),
      }),
    ],
    reporters: [
      defineReporter({
        name: 'txt',
        version: '1.0.0',
        description: 'txt',
        render: (s) => [{ path: 'out/r.txt', content: `${s.metrics[0]?.score}` }],
      }),
    ],
  };
}

const spec = (): RunSpec => ({
  experiment: 'e',
  run: 'r',
  outDir: dir,
  task: { name: 'echo' },
  dataset: { name: 'mem', root: dir },
  model: { name: 'm', model: 'm' },
  settings: {},
  metrics: [{ name: 'same' }],
  reporters: [{ name: 'txt' }],
  groupBy: [['doc_type']],
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vhb-sdk-'));
  asked = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('executeRun', () => {
  it('answers, scores, groups, reports; a failing item is a row with its error', async () => {
    const summary = await executeRun(spec(), plugins());
    // The reporter input schema (JSON Schema for other tools) describes what runs produce.
    expect(runSummarySchema.safeParse(summary).error).toBeUndefined();
    expect(asked.sort()).toEqual(['a', 'b', 'c', 'd']);
    // a and c match; b answers "two" to "TWO"; d failed → 2 of 3 scored items.
    // CI: resampling 1, 0, 1 gives means 0, ⅓, ⅔, 1 with p = 1/27, 6/27, 12/27, 8/27; 1/27 = 3.7% of
    // 1000 resamples (37 expected, 26 needed) puts the 2.5th percentile on 0, 8/27 the 97.5th on 1.
    // An independent Python transcription of the seeded bootstrap gives [0, 1] too.
    expect(summary.metrics).toEqual([{ id: 'same@2', name: 'same', version: 2, direction: 'higher', score: 2 / 3, n: 3, ci: [0, 1] }]);
    expect(summary.items).toEqual({ total: 4, succeeded: 3, failed: 1 });
    // Every item, the failed one too, was asked with the task's default prompt.
    expect(summary.prompts).toEqual({ p1: 4 });
    expect(summary.groups).toEqual([
      {
        by: ['doc_type'],
        rows: [
          // form: a 1, b 0 → ½; two items 0 and 1 resample to 0, ½, 1 (p = ¼, ½, ¼): CI [0, 1].
          { key: { doc_type: 'form' }, n: 2, prompts: { p1: 2 }, scores: { 'same@2': { score: 0.5, ci: [0, 1], n: 2 } } },
          // letter: c only (d failed): no CI from one item.
          { key: { doc_type: 'letter' }, n: 1, prompts: { p1: 1 }, scores: { 'same@2': { score: 1, ci: null, n: 1 } } },
        ],
      },
    ]);
    expect(summary.failures).toEqual([{ id: 'd', code: 'E_BOOM', message: 'engine exploded' }]);
    // The worst on the first metric: b (0), then a and c (1) in id order; d failed and is not listed.
    expect(summary.worst).toEqual({
      metric: 'same@2',
      direction: 'higher',
      items: [
        { id: 'b', score: 0, prediction: 'two', references: ['TWO'], image: join(dir, 'b.png') },
        { id: 'a', score: 1, prediction: 'one', references: ['one'] },
        { id: 'c', score: 1, prediction: 'three', references: ['three'] },
      ],
    });
    // latencies are the ids' char codes 97, 98, 99: mean 98
    expect(summary.timing.latencyMs?.mean).toBe(98);
    expect(await readFile(join(dir, 'out/r.txt'), 'utf8')).toBe(String(2 / 3));
    const metricsLines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(metricsLines.map((l) => JSON.parse(l))).toContainEqual({ id: 'b', metric: 'same@2', score: 0 });
  });

  it('resumes: answered items are not asked again, failed ones are retried', async () => {
    await executeRun(spec(), plugins());
    asked = [];
    await executeRun(spec(), plugins());
    expect(asked).toEqual(['d']);
  });

  it('survives a torn last line from a crash mid-write', async () => {
    await writeFile(
      join(dir, 'predictions.jsonl'),
      `${JSON.stringify({ id: 'a', prediction: 'one', raw: 'one', references: ['one'], metadata: { doc_type: 'form' }, prompt: 'p1', timing: null, error: null })}\n`,
    );
    await appendFile(join(dir, 'predictions.jsonl'), '{"id":"b","predic');
    const summary = await executeRun(spec(), plugins());
    expect(asked.sort()).toEqual(['b', 'c', 'd']);
    expect(summary.items.succeeded).toBe(3);
    const lines = (await readFile(join(dir, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('{"id":"b","predic"'))).toHaveLength(0);
    expect(
      lines
        .slice(2)
        .map((l) => JSON.parse(l).id)
        .sort(),
    ).toEqual(['b', 'c', 'd']);
  });

  it('a metric that throws on one item records the error there and scores the rest', async () => {
    const p = plugins();
    p.metrics = [
      defineMetric({
        name: 'picky',
        version: '1.0.0',
        description: 'throws on "two"',
        algorithmVersion: 1,
        direction: 'higher',
        score: (prediction) => {
          if (prediction === 'two') throw Object.assign(new Error('cannot score "two"'), { code: 'E_PICKY' });
          return { score: 1 };
        },
      }),
    ];
    const summary = await executeRun(spec(), p);
    expect(summary.metrics[0]).toMatchObject({ id: 'picky@1', score: 1, n: 2 });
    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.id === 'b')).toEqual({
      id: 'b',
      metric: 'picky@1',
      score: null,
      error: { code: 'E_PICKY', message: 'cannot score "two"' },
    });
  });

  it('stops starting items once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const summary = await executeRun(spec(), plugins(), { signal: controller.signal });
    expect(asked).toEqual([]);
    expect(summary.items.succeeded).toBe(0);
  });

  it('rejects an image outside the dataset root, naming the item', async () => {
    const p = plugins();
    p.dataset = defineDataset({
      name: 'bad',
      version: '1.0.0',
      description: 'x',
      async *items() {
        yield { id: 'evil', image: '/etc/passwd', references: [], metadata: {} };
      },
    });
    await expect(executeRun(spec(), p)).rejects.toThrow(/item evil: image \/etc\/passwd is outside the dataset root/);
  });
});

describe('percentile', () => {
  it('interpolates between closest ranks like numpy', () => {
    // numpy.percentile([1, 2, 3, 4], 90) = 3 + 0.7 * (4 - 3) = 3.7
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([5], 99)).toBe(5);
  });
});
