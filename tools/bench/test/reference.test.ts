import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type PythonResult, runPython } from '../src/python.js';

// The Python reference is what our metrics are checked against, so it is itself checked here on
// values worked out by hand from the published definitions (see python/reference.py).
const hasPython = spawnSync('python3', ['--version']).status === 0;

async function reference(metric: string, items: [prediction: string, references: string[]][]): Promise<PythonResult> {
  const run = await runPython('python3', [{ metric, items: items.map(([prediction, references]) => ({ prediction, references })) }]);
  return run.results[metric] as PythonResult;
}

const anls = async (metric: string, prediction: string, references: string[]) =>
  (await reference(metric, [[prediction, references]])).aggregate;

describe.skipIf(!hasPython)('python/reference.py, ANLS', () => {
  it('divides by the raw upper-cased length in anls@1, the normalised one in anls@2', async () => {
    // "ab" vs "ac": 1 edit. anls@1: max(len("AB "), len("AC")) = 3 → 1 − 1/3.
    expect(await anls('anls@1', 'ac', ['AB '])).toBeCloseTo(2 / 3, 15);
    // anls@2: max(len("ab"), len("ac")) = 2 → 1 − 1/2 = 0.5, equal to τ, so kept.
    expect(await anls('anls@2', 'ac', ['AB '])).toBe(0.5);
  });

  it('counts ß as two when upper-cased, and code points for Cyrillic, CJK, emoji and combining marks', async () => {
    // "strasse" vs "straße": ß→s and one s inserted, 2 edits; len("STRASSE") = 7 (and 7 normalised) → 5/7.
    expect(await anls('anls@1', 'strasse', ['Straße'])).toBeCloseTo(5 / 7, 15);
    expect(await anls('anls@2', 'strasse', ['Straße'])).toBeCloseTo(5 / 7, 15);
    // "масква" vs "москва": о→а, 1 edit of 6; the second answer is 6 edits of 6 → best 5/6.
    expect(await anls('anls@1', 'масква', ['Москва', 'xyz'])).toBeCloseTo(5 / 6, 15);
    // "東京都" vs "東京": one insertion of 3 → 2/3.
    expect(await anls('anls@2', '東京都', ['東京'])).toBeCloseTo(2 / 3, 15);
    // 👍 vs 👍🏽 (two code points): 1 edit, length 2 → 0.5.
    expect(await anls('anls@1', '👍', ['👍🏽'])).toBe(0.5);
    // "café" (é precomposed, 4) vs "cafe\u0301" (5): é→e and U+0301 inserted, 2 edits of 5 → 0.6.
    expect(await anls('anls@2', 'café', ['cafe\u0301'])).toBeCloseTo(0.6, 15);
  });

  it('folds case and whitespace, scores both-empty 1 and empty-vs-answer 0, and averages items', async () => {
    expect(await anls('anls@2', 'New  York', ['new york'])).toBe(1);
    expect(await anls('anls@1', '', [''])).toBe(1);
    expect(await anls('anls@1', '', ['abc'])).toBe(0);
    // Mean of 1 (exact) and 0 (3 edits of 3).
    const both = await reference('anls@2', [
      ['Paris', ['paris']],
      ['abc', ['xyz']],
    ]);
    expect(both).toMatchObject({ items: 2, aggregate: 0.5, mean: 0.5, counts: null });
  });
});

describe.skipIf(!hasPython)('python/reference.py, CER and WER', () => {
  it('CER: Unicode-aware strip, code points, corpus rate vs per-item mean', async () => {
    // "abc" vs "axc": 1 substitution of 3; "abcdefghij" exact: corpus 1/13, per-item mean (1/3 + 0)/2.
    const result = await reference('cer@1', [
      ['axc', ['abc']],
      ['abcdefghij', ['abcdefghij']],
    ]);
    expect(result.aggregate).toBeCloseTo(1 / 13, 15);
    expect(result.mean).toBeCloseTo(1 / 6, 15);
    expect(result.counts).toEqual({ hits: 12, substitutions: 1, deletions: 0, insertions: 0 });
    // "Превет  мир" vs "Привет мир": и→е and one space inserted, 2 of 10.
    expect(await reference('cer@1', [['Превет  мир', ['Привет мир']]])).toMatchObject({
      aggregate: 0.2,
      counts: { hits: 9, substitutions: 1, deletions: 0, insertions: 1 },
    });
    // Python's strip() removes the no-break and ideographic spaces; the emoji is one character of 4.
    expect((await reference('cer@1', [['\u00a0abc\u3000', ['abc']]])).aggregate).toBe(0);
    expect((await reference('cer@1', [['😁 ok', ['😀 ok']]])).aggregate).toBe(0.25);
    expect((await reference('cer@1', [['', ['ab']]])).counts).toEqual({ hits: 0, substitutions: 0, deletions: 2, insertions: 0 });
    // An empty reference scores its insertions (jiwer 4).
    expect((await reference('cer@1', [['abc', ['']]])).aggregate).toBe(3);
  });

  it("WER: jiwer's transforms and rapidfuzz's tie-breaking", async () => {
    // ref "b a", hyp "a b": the backtrace prefers a deletion, then a hit, then the insertion (H1 D1 I1).
    expect(await reference('wer@1', [['a b', ['b a']]])).toMatchObject({
      aggregate: 1,
      counts: { hits: 1, substitutions: 0, deletions: 1, insertions: 1 },
    });
    // ref "a b", hyp "b c": two substitutions.
    expect((await reference('wer@1', [['b c', ['a b']]])).counts).toEqual({ hits: 0, substitutions: 2, deletions: 0, insertions: 0 });
    // A lone tab does not split words: ref ["a\tb", "c"] vs ["a", "b", "c"] → H1 S1 I1, 2 of 2.
    expect(await reference('wer@1', [['a b c', ['a\tb c']]])).toMatchObject({
      aggregate: 1,
      counts: { hits: 1, substitutions: 1, deletions: 0, insertions: 1 },
    });
    // A run of whitespace collapses to one space; case is kept: "Hello" vs "hello" is 1 of 2.
    expect((await reference('wer@1', [['hello world', ['Hello  \t world']]])).aggregate).toBe(0.5);
  });

  it('refuses a metric it has no reference for', async () => {
    await expect(reference('bleu@1', [['a', ['a']]])).rejects.toThrow(/no Python reference for bleu@1/);
  });
});
