import { describe, expect, it } from 'vitest';
import metric, { type Dialect, relaxedAccuracyScore as relaxedAccuracy, relaxedCorrectness, toNumber } from '../src/index.js';

const both = (prediction: string, references: string[], tolerance = 0.05) =>
  Object.fromEntries((['lmms-eval', 'vlmevalkit'] as Dialect[]).map((d) => [d, relaxedAccuracy(prediction, references, d, tolerance)]));

// Expected values worked out from relaxed_correctness (pix2struct, as copied by lmms-eval and
// VLMEvalKit): numeric when the prediction parses and the target parses to a non-zero number,
// |p − t| / |t| ≤ tolerance; otherwise prediction.lower() == target.lower().

describe('relaxedCorrectness: numbers', () => {
  it('accepts a relative difference up to 5%, the bound included', () => {
    // |105 − 100| / 100 = 0.05 ≤ 0.05; |95 − 100| / 100 = 0.05.
    expect(relaxedCorrectness('100', '105')).toBe(true);
    expect(relaxedCorrectness('100', '95')).toBe(true);
    // 5.1 / 100 = 0.051 > 0.05.
    expect(relaxedCorrectness('100', '105.1')).toBe(false);
    expect(relaxedCorrectness('100', '94.9')).toBe(false);
    // Relative to the target: 0.4 / 10 = 0.04 for negative numbers too.
    expect(relaxedCorrectness('-10', '-10.4')).toBe(true);
  });

  it('compares doubles as Python does: 1.05 against 1 is just over 5%', () => {
    // The double nearest 1.05 is 1.05000000000000004441, so 1.05 − 1 = 0.05000000000000004441,
    // above the double nearest 0.05 (0.05000000000000000278).
    expect(relaxedCorrectness('1', '1.05')).toBe(false);
    expect(relaxedCorrectness('1', '0.96')).toBe(true);
  });

  it('reads a trailing "%" as hundredths', () => {
    expect(toNumber('12%')).toBe(0.12);
    expect(toNumber('12%%')).toBe(0.12);
    expect(toNumber(' 12 %')).toBe(0.12);
    expect(toNumber('%')).toBe(null);
    expect(relaxedCorrectness('12%', '0.12')).toBe(true);
    // 12% is 0.12, not 12.
    expect(relaxedCorrectness('12', '12%')).toBe(false);
  });

  it("parses numbers as Python's float() does", () => {
    expect(relaxedCorrectness('1000', '1_000')).toBe(true);
    expect(relaxedCorrectness('3', '٣')).toBe(true);
    expect(relaxedCorrectness('1e3', '1000')).toBe(true);
    // float() strips surrounding whitespace itself, so even lmms-eval accepts " 12 ".
    expect(relaxedCorrectness('12', ' 12 ')).toBe(true);
    // "1,000" is no number to float(): the texts are compared and differ.
    expect(relaxedCorrectness('1000', '1,000')).toBe(false);
    expect(relaxedCorrectness('1,000', '1,000')).toBe(true);
  });

  it('falls back to the texts when the target is 0', () => {
    expect(relaxedCorrectness('0', '0')).toBe(true);
    // 0.0 is within any tolerance of 0, but the target 0 is falsy in Python: "0.0" ≠ "0".
    expect(relaxedCorrectness('0', '0.0')).toBe(false);
    expect(relaxedCorrectness('0', '-0')).toBe(false);
    expect(relaxedCorrectness('0.0', '0.0')).toBe(true);
  });

  it('never passes NaN or infinite targets, even against the same text', () => {
    // nan is truthy in Python: the numeric test runs, and nan ≤ 0.05 is false.
    expect(relaxedCorrectness('nan', 'nan')).toBe(false);
    // |inf − inf| is nan.
    expect(relaxedCorrectness('inf', 'inf')).toBe(false);
    expect(relaxedCorrectness('5', 'inf')).toBe(false);
  });
});

describe('relaxedCorrectness: text', () => {
  it('ignores case only', () => {
    expect(relaxedCorrectness('Yes', 'yes')).toBe(true);
    expect(relaxedCorrectness('МОСКВА', 'Москва')).toBe(true);
    expect(relaxedCorrectness('东京', '东京')).toBe(true);
    expect(relaxedCorrectness('👍', '👍')).toBe(true);
    // No Unicode normalisation: é (U+00E9) is not e + U+0301.
    expect(relaxedCorrectness('café', 'cafe\u0301')).toBe(false);
    // Nor any trimming inside relaxed_correctness.
    expect(relaxedCorrectness('yes', 'yes ')).toBe(false);
  });

  it('handles empty predictions and targets', () => {
    expect(relaxedCorrectness('5', '')).toBe(false);
    expect(relaxedCorrectness('', '')).toBe(true);
    expect(relaxedCorrectness('', 'x')).toBe(false);
  });
});

describe('relaxed-accuracy: dialects, references, tolerance', () => {
  it('lmms-eval compares the prediction as it is, VLMEvalKit trims it (Unicode whitespace too)', () => {
    expect(both(' Yes\n', ['yes'])).toEqual({ 'lmms-eval': 0, vlmevalkit: 1 });
    expect(both('\u00a0Paris\u3000', ['paris'])).toEqual({ 'lmms-eval': 0, vlmevalkit: 1 });
    // "12% " does not end in "%", and float() fails on the "%": text "12% " ≠ "12%" for lmms-eval.
    expect(both('12% ', ['12%'])).toEqual({ 'lmms-eval': 0, vlmevalkit: 1 });
    // The target is never trimmed.
    expect(both('yes', [' yes'])).toEqual({ 'lmms-eval': 0, vlmevalkit: 0 });
  });

  it('keeps the best of several references', () => {
    // |42 − 42.5| / 42.5 ≈ 0.012.
    expect(both('42', ['forty-two', '42.5'])).toEqual({ 'lmms-eval': 1, vlmevalkit: 1 });
    expect(both('c', ['a', 'b'])).toEqual({ 'lmms-eval': 0, vlmevalkit: 0 });
  });

  it('takes the tolerance as an option', () => {
    // 9 / 100 = 0.09: over 5%, within 10%.
    expect(metric.score('109', ['100'], { dialect: 'lmms-eval', tolerance: 0.05 })).toEqual({ score: 0 });
    expect(metric.score('109', ['100'], { dialect: 'lmms-eval', tolerance: 0.1 })).toEqual({ score: 1 });
    // Tolerance 0: numbers must be equal as doubles ("100.0" is 100).
    expect(metric.score('100.0', ['100'], { dialect: 'lmms-eval', tolerance: 0 })).toEqual({ score: 1 });
  });

  it('refuses an item with no references', () => {
    expect(() => metric.score('1', [], { dialect: 'lmms-eval', tolerance: 0.05 })).toThrow(
      expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }),
    );
  });
});
