import { describe, expect, it } from 'vitest';
import tokenF1, { tokenF1Score as f1Of, type SquadDialect } from '../src/index.js';

const score = (prediction: string, references: string[], dialect: SquadDialect = 'squad-v2') =>
  tokenF1.score(prediction, references, { dialect }).score;
/** Both dialects, in the order squad-v2, squad-v1.1. */
const both = (prediction: string, references: string[]) => [
  score(prediction, references, 'squad-v2'),
  score(prediction, references, 'squad-v1.1'),
];
/** SQuAD's formula, for the expected values: precision P and recall R worked out by hand. */
const f1 = (precision: number, recall: number) => (2 * precision * recall) / (precision + recall);

describe('token-f1 score', () => {
  it('is 2PR / (P + R) over the normalised tokens', () => {
    // "the Cat sat" → [cat, sat]; "a cat sat on the mat" → [cat, sat, on, mat].
    // Common 2: P = 2/2, R = 2/4.
    expect(both('the Cat sat', ['a cat sat on the mat'])).toEqual([f1(1, 1 / 2), f1(1, 1 / 2)]);
    // Identical after normalisation: P = R = 1.
    expect(both('The Cat!', ['cat'])).toEqual([1, 1]);
  });

  it('counts common tokens with multiplicity, as Counter(a) & Counter(b)', () => {
    // [x, x, y] vs [x, y, y]: min(2, 1) + min(1, 2) = 2 common; P = 2/3, R = 2/3.
    expect(both('x x y', ['x y y'])).toEqual([f1(2 / 3, 2 / 3), f1(2 / 3, 2 / 3)]);
    // [x, x] vs [x]: 1 common; P = 1/2, R = 1.
    expect(both('x x', ['x'])).toEqual([f1(1 / 2, 1), f1(1 / 2, 1)]);
  });

  it('is 0 with no token in common', () => {
    expect(both('dog', ['cat'])).toEqual([0, 0]);
    // « » are not ASCII punctuation: "«paris»" is another token than "paris".
    expect(both('«paris»', ['paris'])).toEqual([0, 0]);
  });

  it('keeps the best of several references', () => {
    // vs "red car": [red, car] vs [red]: P = 1/2, R = 1. vs "red": P = R = 1.
    expect(both('the red car', ['red', 'blue'])).toEqual([f1(1 / 2, 1), f1(1 / 2, 1)]);
    expect(both('red', ['a red car', 'red'])).toEqual([1, 1]);
  });

  it('splits on Unicode whitespace and folds case: Cyrillic, CJK, emoji, combining marks', () => {
    // [москва, река] vs [москва]: P = 1/2, R = 1.
    expect(both('Москва река', ['москва'])).toEqual([f1(1 / 2, 1), f1(1 / 2, 1)]);
    // "new\u00a0york" splits on the no-break space: [new, york] = [new, york].
    expect(both('new\u00a0york', ['New York'])).toEqual([1, 1]);
    // No spaces in "北京大学": one token, none in common with [北京, 大学].
    expect(both('北京大学', ['北京 大学'])).toEqual([0, 0]);
    // [👍, yes] vs [yes]: P = 1/2, R = 1.
    expect(both('👍 yes', ['yes'])).toEqual([f1(1 / 2, 1), f1(1 / 2, 1)]);
    // "cafe" + U+0301 and NFC "café" are different tokens: no normalisation beyond SQuAD's.
    expect(both('cafe\u0301 noir', ['caf\u00e9 noir'])).toEqual([f1(1 / 2, 1 / 2), f1(1 / 2, 1 / 2)]);
  });

  it('scores empty against empty 1 in SQuAD v2.0 and 0 in v1.1', () => {
    // v2.0 compute_f1: either side empty → int(gold_toks == pred_toks); v1.1: num_same == 0 → 0.
    expect(both('', [''])).toEqual([1, 0]);
    // "The" and "A." normalise to nothing: the same case.
    expect(both('the', ['A.'])).toEqual([1, 0]);
    // One side empty: 0 in both.
    expect(both('', ['cat'])).toEqual([0, 0]);
    expect(both('cat', [''])).toEqual([0, 0]);
  });

  it('v2.0 drops answers that normalise to nothing before taking the best', () => {
    // ["the", "cat"] becomes ["cat"] in v2.0; an empty prediction then scores 0 in both.
    expect(both('', ['the', 'cat'])).toEqual([0, 0]);
    expect(both('cat', ['the', 'cat'])).toEqual([1, 1]);
  });

  it('tokenF1 scores one answer', () => {
    expect(f1Of('x x y', 'x y y')).toBe(f1(2 / 3, 2 / 3));
    expect(f1Of('', '', 'squad-v2')).toBe(1);
    expect(f1Of('', '', 'squad-v1.1')).toBe(0);
  });

  it('refuses an item with no reference', () => {
    expect(() => score('x', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });

  it('has no aggregate of its own: the host takes the mean', () => {
    expect(tokenF1.aggregate).toBeUndefined();
  });
});
