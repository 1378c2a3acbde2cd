import { npSum, type PredictionRecord, scoreItems, summariseMetrics } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import classification, { classificationReport } from '../src/index.js';

type Options = { normalize: boolean; labels?: string[] };
const aggregate = (references: string[], predictions: string[], options: Options = { normalize: true }) =>
  classification.aggregate?.(
    references.map((reference, i) => classification.score(predictions[i] as string, [reference], options)),
    options,
  ) as unknown as { score: number; details: ReturnType<typeof classificationReport> };

describe('classification aggregate', () => {
  it("reproduces scikit-learn's classification_report docstring example", () => {
    // sklearn.metrics.classification_report docstring: y_true = [0, 1, 2, 2, 2],
    // y_pred = [0, 0, 2, 2, 1] prints precision 0.50 0.00 1.00, recall 1.00 0.00 0.67,
    // f1 0.67 0.00 0.80, support 1 1 3; accuracy 0.60; macro f1 0.49; weighted f1 0.61.
    // By hand: class 0: tp 1, predicted 2, support 1 → p 1/2, r 1, f1 2·1/(1+2) = 2/3.
    // class 1: tp 0 → p 0, r 0, f1 0. class 2: tp 2, predicted 2, support 3 → p 1, r 2/3, f1 4/5.
    // macro f1 = (2/3 + 0 + 4/5)/3 = 22/45 = 0.4889; weighted = (2/3·1 + 0·1 + 4/5·3)/5 = 46/75 = 0.6133.
    const { score, details } = aggregate(['0', '1', '2', '2', '2'], ['0', '0', '2', '2', '1']);
    expect(score).toBe(3 / 5);
    expect(details.accuracy).toBe(3 / 5);
    expect(details.perClass).toEqual({
      '0': { precision: 1 / 2, recall: 1, f1: 2 / 3, support: 1 },
      '1': { precision: 0, recall: 0, f1: 0, support: 1 },
      '2': { precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3 },
    });
    expect(details.macroF1).toBeCloseTo(22 / 45, 15);
    expect(details.weightedF1).toBeCloseTo(46 / 75, 15);
    expect(details.macroF1.toFixed(2)).toBe('0.49');
    expect(details.weightedF1.toFixed(2)).toBe('0.61');
    expect(details.confusion).toEqual({
      labels: ['0', '1', '2'],
      matrix: [
        [1, 0, 0],
        [1, 0, 0],
        [0, 1, 2],
      ],
    });
  });

  it('works a three-class document example by hand', () => {
    // Classes sorted: form, invoice, letter. Rows reference, columns prediction:
    //   form    [2 1 0]   tp 2, support 3, predicted 2 → p 1,   r 2/3, f1 4/5
    //   invoice [0 1 1]   tp 1, support 2, predicted 2 → p 1/2, r 1/2, f1 1/2
    //   letter  [0 0 2]   tp 2, support 2, predicted 3 → p 2/3, r 1,   f1 4/5
    // accuracy 5/7; macro f1 (4/5 + 1/2 + 4/5)/3 = 7/10; weighted (4/5·3 + 1/2·2 + 4/5·2)/7 = 5/7.
    const references = ['Invoice', 'invoice', 'letter', 'letter', 'form', 'form', 'FORM'];
    const predictions = ['invoice', 'letter', 'Letter', 'letter ', 'form', 'invoice', 'form'];
    const { score, details } = aggregate(references, predictions);
    expect(score).toBe(5 / 7);
    expect(details.perClass).toEqual({
      form: { precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3 },
      invoice: { precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      letter: { precision: 2 / 3, recall: 1, f1: 4 / 5, support: 2 },
    });
    expect(details.macroF1).toBeCloseTo(7 / 10, 15);
    expect(details.weightedF1).toBeCloseTo(5 / 7, 15);
    expect(details.confusion.matrix).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });

  it('counts a stray prediction as its own zero-support class without a label set, as sklearn does', () => {
    // Classes: invoice, letter, memo (the stray prediction). invoice: tp 1, support 1, predicted 1 → 1/1/1.
    // letter: tp 0, support 1, predicted 0 → 0/0/0. memo: support 0, predicted 1 → 0/0/0.
    // macro f1 = 1/3, weighted = (1·1 + 0·1 + 0·0)/2 = 1/2.
    const { details } = aggregate(['invoice', 'letter'], ['invoice', 'memo']);
    expect(Object.keys(details.perClass)).toEqual(['invoice', 'letter', 'memo']);
    expect(details.perClass.memo).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(details.macroF1).toBe(1 / 3);
    expect(details.weightedF1).toBe(1 / 2);
  });

  it('with a label set, averages over exactly those labels and puts stray predictions in an (other) column', () => {
    // labels [Letter, Invoice, Form]: Form is never seen (support 0, f1 0) but still averaged.
    // Invoice: tp 1, support 1, predicted 1 → 1/1/1. Letter: tp 1, support 2, predicted 1 → p 1, r 1/2, f1 2/3.
    // "memo" is (other). accuracy 2/3; macro (2/3 + 1 + 0)/3 = 5/9; weighted (2/3·2 + 1·1 + 0·0)/3 = 7/9.
    const options = { normalize: true, labels: ['Letter', 'Invoice', 'Form'] };
    const { score, details } = aggregate(['letter', 'invoice', 'letter'], ['letter', 'Invoice', 'memo'], options);
    expect(score).toBe(2 / 3);
    expect(details.perClass).toEqual({
      Letter: { precision: 1, recall: 1 / 2, f1: 2 / 3, support: 2 },
      Invoice: { precision: 1, recall: 1, f1: 1, support: 1 },
      Form: { precision: 0, recall: 0, f1: 0, support: 0 },
    });
    expect(details.macroF1).toBeCloseTo(5 / 9, 15);
    expect(details.weightedF1).toBeCloseTo(7 / 9, 15);
    expect(details.confusion).toEqual({
      labels: ['Letter', 'Invoice', 'Form', '(other)'],
      matrix: [
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    });
  });

  it('orders classes by code point, as Python sorts strings', () => {
    // U+FFFF sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFFFF).
    const details = classificationReport([
      { reference: '😀', prediction: '😀' },
      { reference: '\uffff', prediction: 'Ж' },
      { reference: 'a', prediction: 'a' },
    ]);
    expect(details.confusion.labels).toEqual(['a', 'Ж', '\uffff', '😀']);
  });

  it("sums as numpy does (pairwise), so averages match scikit-learn's to the last bit", () => {
    // numpy: r0..r7 = the first 8 values, then ((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7)), then the rest
    // one by one. Ten 0.1s: 0.2+0.2 = 0.4, 0.4+0.4 = 0.8, +0.1 = 0.9, +0.1 = 1 (np.sum gives 1.0),
    // while the plain left-to-right sum is 0.9999999999999999.
    expect(npSum(new Array(10).fill(0.1))).toBe(1);
    // [1e16, 1 × 7]: (1e16+1 rounds to 1e16) → ((1e16+1)+(1+1)) + ((1+1)+(1+1)) = 1e16 + 6, as np.sum gives.
    expect(npSum([1e16, 1, 1, 1, 1, 1, 1, 1])).toBe(1e16 + 6);
    expect(npSum([0.5, 0.25])).toBe(0.75);
    expect(npSum([])).toBe(0);
  });

  it('refuses item scores without their label parts', () => {
    expect(() => classification.aggregate?.([{ score: 1 }], { normalize: true })).toThrow(
      expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }),
    );
  });

  it('runs in the host: the figure is the accuracy and the tables travel in details', () => {
    const record = (id: string, prediction: string, reference: string): PredictionRecord => ({
      id,
      prediction,
      raw: prediction,
      references: [reference],
      metadata: {},
      prompt: 'p',
      timing: null,
      error: null,
    });
    const uses = [{ plugin: classification, options: { normalize: true }, id: 'classification@1' }];
    const table = scoreItems([record('a', 'yes', 'Yes'), record('b', 'no', 'yes')], uses);
    const [summary] = summariseMetrics(table, uses);
    // yes/yes right, no/yes wrong: accuracy 1/2; classes no, yes.
    expect(summary?.score).toBe(1 / 2);
    expect((summary?.details as { confusion: unknown } | undefined)?.confusion).toEqual({
      labels: ['no', 'yes'],
      matrix: [
        [0, 0],
        [1, 1],
      ],
    });
  });
});
