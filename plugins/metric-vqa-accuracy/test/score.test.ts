import { describe, expect, it } from 'vitest';
import metric, { DIALECTS, type Dialect, vqaAccuracyScore as vqaAccuracy } from '../src/index.js';

const score = (prediction: string, references: string[], dialect: Dialect = 'official') =>
  vqaAccuracy(prediction, references, dialect).score;
const all = (prediction: string, references: string[]) => Object.fromEntries(DIALECTS.map((d) => [d, score(prediction, references, d)]));
/** Ten answers: `match` at the given positions, `other` elsewhere. */
const tenWith = (match: string, at: number[], other = 'no') => Array.from({ length: 10 }, (_, i) => (at.includes(i) ? match : other));

describe('vqa-accuracy: the leave-one-out soft accuracy', () => {
  // With k of the ten answers equal to the prediction, the k subsets that leave out a match hold
  // k − 1 matches and the 10 − k others hold k: score = (k·min(1, (k−1)/3) + (10−k)·min(1, k/3)) / 10.
  it('scores 0.3, 0.6, 0.9 for 1, 2, 3 matching answers and 1 for four or more', () => {
    for (const dialect of DIALECTS) {
      expect(score('yes', tenWith('yes', []), dialect)).toBe(0);
      // k = 1: (1·0 + 9·1/3) / 10 = 0.3.
      expect(score('yes', tenWith('yes', [0]), dialect)).toBe(0.3);
      // k = 2: (2·1/3 + 8·2/3) / 10 = 0.6.
      expect(score('yes', tenWith('yes', [0, 1]), dialect)).toBe(0.6);
      // k = 3: (3·2/3 + 7·1) / 10 = 0.9.
      expect(score('yes', tenWith('yes', [0, 1, 2]), dialect)).toBe(0.9);
      // k = 4: (4·1 + 6·1) / 10 = 1.
      expect(score('yes', tenWith('yes', [0, 1, 2, 3]), dialect)).toBe(1);
      expect(score('yes', tenWith('yes', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), dialect)).toBe(1);
    }
  });

  it('counts matches in the details', () => {
    expect(metric.score('yes', tenWith('yes', [2, 5]), { dialect: 'official' })).toEqual({
      score: 0.6,
      details: { matches: 2, references: 10 },
    });
  });

  it('takes any number of answers, as the peers do: fewer than four can never score 1', () => {
    for (const dialect of DIALECTS) {
      // One answer: the only subset leaves it out, 0 matches → 0.
      expect(score('yes', ['yes'], dialect)).toBe(0);
      // Two equal answers: each subset holds 1 match → (1/3 + 1/3) / 2 = 1/3.
      expect(score('yes', ['yes', 'yes'], dialect)).toBe(1 / 3);
      // Three: each subset holds 2 → 2/3. (Summed: 2/3 + 2/3 is exact; adding the third lands
      // halfway between two doubles and rounds to even, 2.0; 2.0 / 3 is the double of 2/3.)
      expect(score('yes', ['yes', 'yes', 'yes'], dialect)).toBe(2 / 3);
      // Four: each subset holds 3 → 1.
      expect(score('yes', ['yes', 'yes', 'yes', 'yes'], dialect)).toBe(1);
    }
  });

  it('refuses an item with no answers', () => {
    expect(() => metric.score('yes', [], { dialect: 'official' })).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });
});

describe('vqa-accuracy: normalisation per dialect', () => {
  it('ignores case, punctuation, articles and number words once the humans disagree', () => {
    // The answers differ, so every dialect normalises: "The Two!" → "2", "two" → "2".
    const answers = ['two', 'two', '2', '3', 'three', 'three', 'three', 'three', 'three', 'three'];
    expect(all('The Two!', answers)).toEqual({ official: 0.9, 'lmms-eval': 0.9, 'lmms-eval-textvqa': 0.9, vlmevalkit: 0.9 });
  });

  it('official: compares as they are (trimmed) when all ten answers are the same string', () => {
    const black: string[] = Array(10).fill('black');
    // "Black." is not normalised when the humans agree: no match. The other peers normalise always.
    expect(all('Black.', black)).toEqual({ official: 0, 'lmms-eval': 1, 'lmms-eval-textvqa': 1, vlmevalkit: 1 });
    // Trimming (and \n, \t → space) happens in every case.
    expect(all('\tblack \n', black)).toEqual({ official: 1, 'lmms-eval': 1, 'lmms-eval-textvqa': 1, vlmevalkit: 1 });
    // Python's strip() trims Unicode whitespace, but str.split() is not applied: inner NBSP stays.
    expect(score('new\u00a0york', Array(10).fill('new york'))).toBe(0);
    expect(score('new\u00a0york', Array(10).fill('new york'), 'lmms-eval')).toBe(1);
  });

  it('"2." matches "2" except in VLMEvalKit, which fixed the period regex', () => {
    // Seven answers normalise to "2" ("two" → "2"): official and lmms-eval strip the period of "2.".
    const answers = ['2', '2', '2', '2', 'two', 'two', 'two', '3', '3', '3'];
    expect(all('2.', answers)).toEqual({ official: 1, 'lmms-eval': 1, 'lmms-eval-textvqa': 1, vlmevalkit: 0 });
  });

  it('"1,,000" is "1000" for lmms-eval only', () => {
    const answers = tenWith('1000', [0, 1, 2], 'one thousand');
    // lmms-eval: (?<=\d)(\,)+(?=\d) matches, punctuation is deleted → "1000", 3 matches → 0.9.
    // official, VLMEvalKit: each "," → " " → "1 000", no match.
    expect(all('1,,000', answers)).toEqual({ official: 0, 'lmms-eval': 0.9, 'lmms-eval-textvqa': 0.9, vlmevalkit: 0 });
  });

  it('lmms-eval TextVQA deletes "?" and "," and splits "\'s"', () => {
    // "what?ever": TextVQA → "whatever" (3 matches, 0.9); the others → "what ever".
    expect(all('what?ever', tenWith('whatever', [0, 1, 2]))).toEqual({
      official: 0,
      'lmms-eval': 0,
      'lmms-eval-textvqa': 0.9,
      vlmevalkit: 0,
    });
    // "it's" → "it 's" on both sides: still equal.
    expect(score("It's", tenWith("it's", [0, 1, 2, 3]), 'lmms-eval-textvqa')).toBe(1);
  });
});

describe('vqa-accuracy: Unicode, empty and whitespace answers', () => {
  it('lower-cases Cyrillic, leaves CJK and emoji, and does not compose combining marks', () => {
    expect(all('Москва', tenWith('москва', [0, 1, 2, 3], 'Питер'))).toEqual({
      official: 1,
      'lmms-eval': 1,
      'lmms-eval-textvqa': 1,
      vlmevalkit: 1,
    });
    expect(score('东京', tenWith('东京', [0, 1], '京都'))).toBe(0.6);
    expect(score('😀!', tenWith('😀', [0, 1, 2], 'smile'))).toBe(0.9);
    // "café" (é, U+00E9) and "cafe\u0301" (e + combining acute) are different strings to every peer.
    expect(all('café', Array(10).fill('cafe\u0301'))).toEqual({ official: 0, 'lmms-eval': 0, 'lmms-eval-textvqa': 0, vlmevalkit: 0 });
  });

  it('handles an empty prediction and empty answers', () => {
    expect(score('', tenWith('', [0, 1, 2], 'x'))).toBe(0.9);
    expect(score('', Array(10).fill('yes'))).toBe(0);
    // All answers empty: official compares trimmed strings, "  " → "" matches all ten.
    expect(score('  ', Array(10).fill(''))).toBe(1);
    // "a" is an article: normalised away to "" by the dialects that always normalise.
    expect(all('a', Array(10).fill(''))).toEqual({ official: 0, 'lmms-eval': 1, 'lmms-eval-textvqa': 1, vlmevalkit: 1 });
  });
});

describe('vqa-accuracy: the last digit, as each peer sums', () => {
  // Values from the peers' own expressions, run in CPython 3.11.7 (float(sum(x)) / len(x),
  // statistics.mean) and numpy 2.4.6 (numpy.mean) on the accuracies of these ten answers.
  it("official sums left to right, lmms-eval takes the exact mean, VLMEvalKit numpy's pairwise sum", () => {
    expect(all('yes', tenWith('yes', [3, 4]))).toEqual({
      official: 0.6000000000000001,
      'lmms-eval': 0.6,
      'lmms-eval-textvqa': 0.6,
      vlmevalkit: 0.6,
    });
    expect(all('yes', tenWith('yes', [8, 9]))).toEqual({
      official: 0.5999999999999999,
      'lmms-eval': 0.6,
      'lmms-eval-textvqa': 0.6,
      vlmevalkit: 0.5999999999999999,
    });
    expect(all('yes', tenWith('yes', [4, 5, 9]))).toEqual({
      official: 0.9,
      'lmms-eval': 0.9,
      'lmms-eval-textvqa': 0.9,
      vlmevalkit: 0.8999999999999998,
    });
  });
});
