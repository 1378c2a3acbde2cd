import type { ScoredItem, Timing } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import performance from '../src/index.js';

const timing = (fields: Partial<Timing>): Timing => ({
  latencyMs: 0,
  ttftMs: null,
  tpotMs: null,
  promptTokens: null,
  completionTokens: null,
  peakMemoryMb: null,
  ...fields,
});
const item = (t: Timing | null, id = 'q1'): ScoredItem => ({ id, metadata: {}, timing: t, raw: null });
const score = (t: Timing | null, prediction = 'answer', references = ['answer']) => performance.score(prediction, references, {}, item(t));

describe('performance score', () => {
  it('scores the latency and copies every timing field present, with tokens per second', () => {
    // 30 tokens in 1500 ms: 30 / 1.5 = 20 tokens per second.
    expect(
      score(timing({ latencyMs: 1500, ttftMs: 300, tpotMs: 40, promptTokens: 812, completionTokens: 30, peakMemoryMb: 2048 })),
    ).toEqual({
      score: 1500,
      details: {
        latencyMs: 1500,
        ttftMs: 300,
        tpotMs: 40,
        promptTokens: 812,
        completionTokens: 30,
        peakMemoryMb: 2048,
        tokensPerSecond: 20,
      },
    });
  });

  it('leaves out the fields the adapter could not measure', () => {
    // An in-process OCR adapter knows only the latency.
    expect(score(timing({ latencyMs: 250 }))).toEqual({ score: 250, details: { latencyMs: 250 } });
    // No tokens per second without a latency to divide by.
    expect(score(timing({ latencyMs: 0, completionTokens: 5 }))).toEqual({ score: 0, details: { latencyMs: 0, completionTokens: 5 } });
  });

  it('ignores the prediction and the references', () => {
    const t = timing({ latencyMs: 120, completionTokens: 6 });
    const expected = { score: 120, details: { latencyMs: 120, completionTokens: 6, tokensPerSecond: 50 } };
    for (const [prediction, references] of [
      ['', []],
      ['Москва', ['москва']],
      ['東京', ['東京', '大阪']],
      ['cafe\u0301 👍🏽', ['CAFÉ']],
      ['  Yes \n', ['', 'yes']],
    ] as [string, string[]][]) {
      expect(performance.score(prediction, references, {}, item(t))).toEqual(expected);
    }
  });

  it('refuses an item without timing', () => {
    expect(() => score(null)).toThrow(
      expect.objectContaining({ code: 'VHB_E_METRIC_NO_TIMING', message: 'performance: item "q1" has no timing' }),
    );
    expect(() => performance.score('x', ['y'], {})).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_TIMING' }));
  });

  it('refuses a timing field that is not a non-negative number', () => {
    const bad = [
      { latencyMs: -1 },
      { latencyMs: Number.NaN },
      { latencyMs: '120' },
      { latencyMs: undefined },
      { latencyMs: 10, ttftMs: 'fast' },
    ];
    for (const fields of bad) {
      expect(() => score(timing(fields as Partial<Timing>))).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_TIMING' }));
    }
  });
});
