import { describe, expect, it } from 'vitest';
import { accuracy, levenshtein } from './helpers.js';

// The test's own yardstick must be right before the OCR is judged with it.
describe('levenshtein (test helper)', () => {
  it('counts edits', () => {
    // kitten → sitting: k→s, e→i, +g = 3 (the textbook example).
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
    // Cyrillic works the same: о → а is one substitution.
    expect(levenshtein('Итого', 'Итога')).toBe(1);
  });

  it('accuracy is 1 - edits / reference length', () => {
    // "Pasta 5009" vs "Pasta 500g": one substitution in 10 characters → 0.9.
    expect(accuracy('Pasta 5009', 'Pasta 500g')).toBeCloseTo(0.9, 10);
  });
});
