import { describe, expect, it } from 'vitest';
import em, { type SquadDialect } from '../src/index.js';

const score = (prediction: string, references: string[], dialect: SquadDialect = 'squad-v1.1') =>
  em.score(prediction, references, { dialect }).score;
/** Both dialects, in the order squad-v1.1, squad-v2. */
const both = (prediction: string, references: string[]) => [
  score(prediction, references, 'squad-v1.1'),
  score(prediction, references, 'squad-v2'),
];

describe('exact-match score', () => {
  it('is 1 when the normalised prediction equals a normalised reference', () => {
    // "The Cat!" → lower "the cat!" → no "!" → "  cat" → "cat".
    expect(both('The Cat!', ['cat'])).toEqual([1, 1]);
    expect(both('an apple', ['Apple.'])).toEqual([1, 1]);
    expect(both('banana', ['an orange', 'a banana'])).toEqual([1, 1]);
  });

  it('is 0 otherwise', () => {
    expect(both('cats', ['cat'])).toEqual([0, 0]);
    expect(both('«yes»', ['yes'])).toEqual([0, 0]); // « and » are not in string.punctuation
    expect(both('New-York', ['new york'])).toEqual([0, 0]); // "newyork" vs "new york"
  });

  it('folds case and Unicode whitespace, Cyrillic and CJK included', () => {
    expect(both('МОСКВА', ['москва'])).toEqual([1, 1]);
    expect(both('new\u00a0york\u3000', ['New York'])).toEqual([1, 1]);
    expect(both('北京', ['北京 '])).toEqual([1, 1]);
    expect(both('北京', ['北 京'])).toEqual([0, 0]);
    // No Unicode normalisation: "cafe" + U+0301 is not NFC "café". An emoji is kept as it is.
    expect(both('cafe\u0301', ['caf\u00e9'])).toEqual([0, 0]);
    expect(both('👍', ['👍'])).toEqual([1, 1]);
  });

  it('matches an empty prediction with an empty answer in both dialects', () => {
    // v1.1: normalize("") == normalize(""); v2.0: no answer survives, so the gold is [""].
    expect(both('', [''])).toEqual([1, 1]);
    expect(both('the', ['A.'])).toEqual([1, 1]);
    expect(both('', ['abc'])).toEqual([0, 0]);
  });

  it('differs only where some, not all, answers normalise to nothing: v2.0 drops those answers', () => {
    // References "the" (normalises to "") and "cat"; prediction "" (normalises to "").
    // v1.1 compares with both: "" == "" → 1. v2.0 keeps only "cat": "" ≠ "cat" → 0.
    expect(both('', ['the', 'cat'])).toEqual([1, 0]);
    expect(both('An', ['?', 'dog'])).toEqual([1, 0]);
    // A non-empty prediction is unaffected: it never equals an answer that normalises to "".
    expect(both('dog', ['?', 'dog'])).toEqual([1, 1]);
  });

  it('refuses an item with no reference', () => {
    expect(() => score('x', [])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_NO_REFERENCE' }));
  });

  it('has no aggregate of its own: the host takes the mean, i.e. accuracy', () => {
    expect(em.aggregate).toBeUndefined();
  });
});
