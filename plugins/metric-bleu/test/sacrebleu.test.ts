import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AggregateResult, ItemScore } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import bleu from '../src/index.js';

interface Fixture {
  meta: { generator: string; note: string };
  cases: { id: string; prediction: string; references: string[] }[];
  configs: {
    options: Record<string, unknown>;
    corpus: number;
    items: number[];
    correctlyRounded?: Record<string, number>;
    corpusCorrectlyRounded?: number;
  }[];
}

// Scores computed by sacrebleu itself on 250 generated items (punctuation, digits, entities, Cyrillic,
// CJK, emoji, combining marks, Unicode whitespace, 1–3 references), see fixture.meta. Where the C
// library's log or exp was not correctly rounded, the fixture also holds the value sacrebleu gives
// with correctly rounded ones, which is what this package computes.
const fixture: Fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sacrebleu.json'), 'utf8'));

type Options = Parameters<typeof bleu.score>[2];

/** The metric's aggregate (it has one), typed as what it returns. */
function aggregate(scores: readonly ItemScore[], opts: Options): AggregateResult {
  if (!bleu.aggregate) throw new Error('bleu aggregates');
  return bleu.aggregate(scores, opts) as AggregateResult;
}

/** The distance between two doubles in units in the last place. */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

describe('bleu against sacrebleu, to the last bit', () => {
  it.each(fixture.configs.map((config) => [JSON.stringify(config.options), config] as const))('%s', (_, config) => {
    const opts = bleu.options?.parse(config.options) as Options;
    const scores = fixture.cases.map(({ prediction, references }) => bleu.score(prediction, references, opts));
    fixture.cases.forEach(({ id }, k) => {
      const peer = config.items[k] as number;
      const rounded = config.correctlyRounded?.[id];
      if (rounded === undefined) expect([id, scores[k]?.score]).toEqual([id, peer]);
      else {
        expect([id, scores[k]?.score]).toEqual([id, rounded]);
        expect(ulps(rounded, peer)).toBe(1);
      }
    });
    expect(aggregate(scores, opts).score).toBe(config.corpusCorrectlyRounded ?? config.corpus);
  });
});
