import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  alignCounts,
  codePoints,
  corpusErrorRateResult,
  editDistance,
  errorRate,
  isPyWhitespace,
  levenshtein,
  ngramCounts,
  PY_WHITESPACE,
  pyCaseFold,
  pySplit,
  pyStrip,
  Vocabulary,
} from '../src/index.js';

/** Textbook O(n·m) DP over code points: an independent oracle for the bit-parallel kernels. */
function naiveDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length] as number;
}

/** Small deterministic PRNG (mulberry32) so random cases are the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('codePoints', () => {
  it('counts code points as Python len() does, not UTF-16 units', () => {
    expect(codePoints('abc')).toEqual(['a', 'b', 'c']);
    // U+1F600 is two UTF-16 units ('😀a'.length === 3) but one code point.
    expect(codePoints('😀a')).toEqual(['😀', 'a']);
    expect(codePoints('Привет')).toHaveLength(6);
    // 'é' decomposed (NFD) is e + U+0301 COMBINING ACUTE ACCENT: two code points, as in Python.
    expect(codePoints('e\u0301')).toEqual(['e', '\u0301']);
    expect(codePoints('')).toEqual([]);
    expect(codePoints('\ud800x')).toEqual(['\ud800', 'x']);
  });
});

describe('levenshtein', () => {
  it('gives the textbook distances', () => {
    // kitten → sitting: k→s, e→i, insert g.
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    // lewenstein → levenshtein: w→v, insert h (rapidfuzz's documented example).
    expect(levenshtein('lewenstein', 'levenshtein')).toBe(2);
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('counts an astral character as one edit', () => {
    // UTF-16 would see two units to insert or replace.
    expect(levenshtein('😀', 'a')).toBe(1);
    expect(levenshtein('a😀b', 'ab')).toBe(1);
    expect(levenshtein('👍🏽', '👍')).toBe(1); // the skin-tone modifier is its own code point
  });

  it('handles Cyrillic and combining marks by code point', () => {
    // привет → превед: и→е, т→д.
    expect(levenshtein('привет', 'превед')).toBe(2);
    // NFD 'é' (2 code points) vs NFC 'é' (1): replace e→é, delete U+0301.
    expect(levenshtein('e\u0301', '\u00e9')).toBe(2);
    expect(levenshtein('cafe\u0301', 'cafe')).toBe(1);
  });

  it('is right across the 32-bit word boundaries of the bit-parallel kernel', () => {
    // 40 a's vs 40 b's: 40 substitutions (two words).
    expect(levenshtein('a'.repeat(40), 'b'.repeat(40))).toBe(40);
    // 70 a's + x vs x + 70 a's: insert x in front, delete the x at the end (three words).
    expect(levenshtein(`${'a'.repeat(70)}x`, `x${'a'.repeat(70)}`)).toBe(2);
    // (ab)^20 vs (ba)^20: delete the leading a, append an a.
    expect(levenshtein('ab'.repeat(20), 'ba'.repeat(20))).toBe(2);
    // exactly 32 and 33 code points: one word full, then one bit into the second.
    expect(levenshtein('x'.repeat(32), `${'x'.repeat(31)}y`)).toBe(1);
    expect(levenshtein('x'.repeat(33), `y${'x'.repeat(32)}`)).toBe(1);
  });

  it('is right at 32 and 33 symbols left once the common prefix and suffix are cut', () => {
    // 32 substitutions: the one-word kernel with every bit in use; 33: two words.
    expect(levenshtein('a'.repeat(32), 'b'.repeat(32))).toBe(32);
    expect(levenshtein('a'.repeat(33), 'b'.repeat(33))).toBe(33);
    // (ab)^16 vs (ba)^16 (32 symbols, no common end): delete the leading a, append an a.
    expect(levenshtein('ab'.repeat(16), 'ba'.repeat(16))).toBe(2);
    // A 32-symbol side against a 100-symbol one: 32 substitutions and 68 insertions.
    expect(levenshtein('a'.repeat(32), 'b'.repeat(100))).toBe(100);
    expect(levenshtein('b'.repeat(100), 'a'.repeat(33))).toBe(100);
  });

  it('agrees with a textbook DP on random strings of every size', () => {
    const next = random(7);
    const pick = (alphabet: string[], length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const alphabets = [
      ['a', 'b'],
      ['a', 'b', 'c', 'd'],
      ['я', 'б', '😀', 'e\u0301', ' '],
    ];
    for (let k = 0; k < 400; k++) {
      const alphabet = alphabets[k % alphabets.length] as string[];
      const a = pick(alphabet, Math.floor(next() * 140));
      const b = pick(alphabet, Math.floor(next() * 140));
      expect(levenshtein(a, b), `${a} / ${b}`).toBe(naiveDistance(a, b));
    }
  });
});

describe('editDistance', () => {
  const codes = (s: string, padding: number[] = []) => Int32Array.from([...Array.from(s, (c) => c.codePointAt(0) as number), ...padding]);

  it('is levenshtein over code point arrays', () => {
    // kitten → sitting: 3; привет → превед: 2; 😀a → a: 1 (one code point).
    expect(editDistance(codes('kitten'), codes('sitting'))).toBe(3);
    expect(editDistance(codes('привет'), codes('превед'))).toBe(2);
    expect(editDistance(codes('😀a'), codes('a'))).toBe(1);
    expect(editDistance(codes(''), codes('abc'))).toBe(3);
  });

  it('reads only the first aLength and bLength symbols of reused buffers', () => {
    // The padding after the lengths is ignored: "abc" vs "abd" is 1, whatever follows.
    expect(editDistance(codes('abc', [1, 2, 3]), codes('abd', [9]), 3, 3)).toBe(1);
    expect(editDistance(codes('abc', [0]), codes('', [0, 0]), 3, 0)).toBe(3);
    // Long pairs (the blocked kernel) too: 40 a's vs 40 b's is 40.
    expect(editDistance(codes('a'.repeat(40), [98, 98]), codes('b'.repeat(40), [97]), 40, 40)).toBe(40);
  });
});

describe('alignCounts', () => {
  const chars = (ref: string, hyp: string) => alignCounts(codePoints(ref), codePoints(hyp));

  it("reproduces jiwer's published WER/CER counts", () => {
    // jiwer tests: "X Y X" vs "X Z": 1 hit, 1 substitution, 1 deletion (wer 2/3, mer 2/3).
    expect(alignCounts(['X', 'Y', 'X'], ['X', 'Z'])).toEqual({ hits: 1, substitutions: 1, deletions: 1, insertions: 0 });
    // "X" vs "X X Y Y": 1 hit, 3 insertions (wer 3).
    expect(alignCounts(['X'], ['X', 'X', 'Y', 'Y'])).toEqual({ hits: 1, substitutions: 0, deletions: 0, insertions: 3 });
    // jiwer test_cer return_dict: ["i", "am i good"] vs ["i am", "y good"] sums to
    // hits 6, substitutions 1, deletions 3, insertions 3.
    const first = chars('i', 'i am'); // "i" matched, " am" inserted
    const second = chars('am i good', 'y good'); // " good" matched; "am i" vs "y": 1 sub + 3 del
    expect(first).toEqual({ hits: 1, substitutions: 0, deletions: 0, insertions: 3 });
    expect(second).toEqual({ hits: 5, substitutions: 1, deletions: 3, insertions: 0 });
  });

  it('breaks ties as rapidfuzz does', () => {
    // ref "a b", hyp "b c": D[2][2]=2 and D[1][2]=2, so no deletion at the end; D[2][1]=1 is not
    // below D[1][1]=1, so no insertion: diagonal (b→c), then again diagonal (a→b).
    expect(alignCounts(['a', 'b'], ['b', 'c'])).toEqual({ hits: 0, substitutions: 2, deletions: 0, insertions: 0 });
    // ref "b a", hyp "a b": D[2][2]=2 > D[1][2]=1, so "a" is deleted first; then at (1,2)
    // D[1][1]=1 is not below D[0][1]=1: diagonal b=b; the leading hyp "a" is inserted.
    expect(alignCounts(['b', 'a'], ['a', 'b'])).toEqual({ hits: 1, substitutions: 0, deletions: 1, insertions: 1 });
    // The common prefix is matched first: "a" vs "a a" is a hit and an insertion.
    expect(alignCounts(['a'], ['a', 'a'])).toEqual({ hits: 1, substitutions: 0, deletions: 0, insertions: 1 });
    // ref "a b", hyp "x": "b" is deleted from the end, then a→x.
    expect(alignCounts(['a', 'b'], ['x'])).toEqual({ hits: 0, substitutions: 1, deletions: 1, insertions: 0 });
  });

  it('handles empty sides', () => {
    expect(alignCounts([], [])).toEqual({ hits: 0, substitutions: 0, deletions: 0, insertions: 0 });
    expect(alignCounts([], ['x', 'y'])).toEqual({ hits: 0, substitutions: 0, deletions: 0, insertions: 2 });
    expect(alignCounts(['x'], [])).toEqual({ hits: 0, substitutions: 0, deletions: 1, insertions: 0 });
  });

  it('compares tokens as whole strings', () => {
    expect(alignCounts(['hello', 'world'], ['hello', 'World'])).toEqual({ hits: 1, substitutions: 1, deletions: 0, insertions: 0 });
    // "ab" is one token, not "a" followed by "b".
    expect(alignCounts(['ab'], ['a', 'b'])).toEqual({ hits: 0, substitutions: 1, deletions: 0, insertions: 1 });
    // Astral and Cyrillic characters as tokens: привет vs превед, 4 hits and 2 substitutions.
    expect(chars('привет', 'превед')).toEqual({ hits: 4, substitutions: 2, deletions: 0, insertions: 0 });
    expect(chars('a😀b', 'ab')).toEqual({ hits: 2, substitutions: 0, deletions: 1, insertions: 0 });
  });

  // Expected counts come from rapidfuzz itself (see fixtures/rapidfuzz-alignments.py), not from this code.
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/rapidfuzz-alignments.json', import.meta.url), 'utf8')) as {
    cases: { ref: string; hyp: string; hits: number; substitutions: number; deletions: number; insertions: number }[];
    long: { ref: string; hyp: string; hits: number; substitutions: number; deletions: number; insertions: number }[];
  };

  it('matches rapidfuzz opcodes on 180 random pairs', () => {
    for (const { ref, hyp, ...expected } of fixture.cases) expect(chars(ref, hyp), `${ref} / ${hyp}`).toEqual(expected);
  });

  it('matches rapidfuzz on pairs long enough for its Hirschberg split', () => {
    // 2600 × ~2600 cells is above rapidfuzz's 4M-cell matrix limit: it splits before tracing back.
    for (const { ref, hyp, ...expected } of fixture.long) expect(chars(ref, hyp)).toEqual(expected);
  });
});

describe('Python whitespace', () => {
  // Python 3.11: [hex(c) for c in range(0x110000) if chr(c).isspace()]
  const python = [
    0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
    0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ];

  it('is exactly the set str.isspace() accepts', () => {
    const pattern = new RegExp(`^${PY_WHITESPACE}$`, 'u');
    const found: number[] = [];
    const byRegex: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (isPyWhitespace(unit)) found.push(unit);
      if (pattern.test(String.fromCharCode(unit))) byRegex.push(unit);
    }
    expect(found).toEqual(python);
    expect(byRegex).toEqual(python);
  });

  it('strips and splits as str.strip() and str.split() do', () => {
    expect(pyStrip('\u00a0 a b \t\n')).toBe('a b');
    expect(pyStrip('\x1ca\x1f')).toBe('a');
    expect(pyStrip('\x85x\u3000')).toBe('x');
    expect(pyStrip('\ufeffa')).toBe('\ufeffa'); // the BOM is not whitespace to Python
    expect(pyStrip('   ')).toBe('');
    expect(pySplit('  a\tb\u3000c  ')).toEqual(['a', 'b', 'c']);
    expect(pySplit('a\u200bb')).toEqual(['a\u200bb']); // ZERO WIDTH SPACE is not whitespace either
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \n ')).toEqual([]);
  });
});

describe('pyCaseFold', () => {
  // Expected values from Unicode's CaseFolding.txt (status C and F, as Python's str.casefold() applies
  // them), each also printed by CPython 3.11 ("…".casefold()) in a scratch script.
  it('folds ASCII and Cyrillic case, and leaves other scripts and emoji alone', () => {
    expect(pyCaseFold('HeLLo World')).toBe('hello world');
    expect(pyCaseFold('Привет МИР')).toBe('привет мир');
    expect(pyCaseFold('😀ABC')).toBe('😀abc');
    expect(pyCaseFold('日本語')).toBe('日本語');
    expect(pyCaseFold('')).toBe('');
  });

  it('applies the full foldings that expand', () => {
    // ß → ss and ẞ → ss (F), so "Straße" and "STRASSE" fold alike; ﬁ → fi; ΐ → ΐ (three code points).
    expect(pyCaseFold('Straße')).toBe('strasse');
    expect(pyCaseFold('STRASSE')).toBe('strasse');
    expect(pyCaseFold('ẞ')).toBe('ss');
    expect(pyCaseFold('ﬁle')).toBe('file');
    expect(pyCaseFold('\u0390')).toBe('\u03b9\u0308\u0301');
  });

  it('folds where lower() and casefold() differ', () => {
    // Final sigma: casefold has no context rule, ς → σ; JavaScript's toLowerCase would keep a final ς.
    expect(pyCaseFold('ΣΊΣΥΦΟΣ')).toBe('σίσυφοσ');
    // Cherokee small letters fold to the capitals: ꭰ (U+AB70) → Ꭰ (U+13A0), ᏸ (U+13F8) → Ᏸ (U+13F0).
    expect(pyCaseFold('\uab70\u13f8')).toBe('\u13a0\u13f0');
    // Titlecase ǅ → ǆ.
    expect(pyCaseFold('ǅ')).toBe('ǆ');
  });

  it('keeps the dotless ı, gives İ its combining dot, and keeps combining marks', () => {
    expect(pyCaseFold('ı')).toBe('ı');
    expect(pyCaseFold('İ')).toBe('i\u0307');
    // Decomposed é (e + U+0301) stays decomposed; precomposed É folds to precomposed é.
    expect(pyCaseFold('e\u0301É')).toBe('e\u0301é');
  });
});

describe('corpusErrorRateResult', () => {
  it("is the corpus rate with jiwer's summed counts and the per-item mean apart", () => {
    // jiwer tests/test_cer.py test_return_dict: cer(["i", "am i good"], ["i am", "y good"]) is 0.7 with
    // hits 6, substitutions 1, deletions 3, insertions 3. Per item: "i" → "i am" is 1 hit + 3
    // insertions (rate 3/1); "am i good" → "y good" is 5 hits, 1 substitution, 3 deletions (rate 4/9).
    const chars = (s: string) => Array.from(s);
    const scores = [errorRate(chars('i'), chars('i am')), errorRate(chars('am i good'), chars('y good'))];
    expect(corpusErrorRateResult('cer', scores)).toEqual({
      score: 7 / 10,
      details: { itemMean: (3 + 4 / 9) / 2, hits: 6, substitutions: 1, deletions: 3, insertions: 3, refLength: 10 },
    });
  });

  it('gives the number of errors when every reference is empty, and no item mean for no items', () => {
    // Empty references: "" → "ab" is 2 insertions, "" → "" none; no reference tokens, so the errors.
    expect(corpusErrorRateResult('wer', [errorRate([], ['a', 'b']), errorRate([], [])])).toEqual({
      score: 2,
      details: { itemMean: 1, hits: 0, substitutions: 0, deletions: 0, insertions: 2, refLength: 0 },
    });
    expect(corpusErrorRateResult('wer', [])).toEqual({
      score: 0,
      details: { itemMean: null, hits: 0, substitutions: 0, deletions: 0, insertions: 0, refLength: 0 },
    });
  });

  it('refuses scores without edit counts', () => {
    expect(() => corpusErrorRateResult('cer', [{ score: 0.5 }])).toThrow(expect.objectContaining({ code: 'VHB_E_METRIC_DETAILS' }));
  });
});

describe('Vocabulary and ngramCounts', () => {
  it('numbers symbols from 1 in order of first appearance, across calls', () => {
    const words = new Vocabulary<string>();
    expect(words.intern(['the', 'кот', 'the'])).toEqual([1, 2, 1]);
    expect(words.intern(['😀', 'кот'])).toEqual([3, 2]);
    expect(words.intern([])).toEqual([]);
    // Three symbols: base 4, and 4^4 = 256 keys stay exact integers.
    expect(words.base(4)).toBe(4);
  });

  it('gives base 0 when keys of maxOrder ids would not be exact integers', () => {
    // 500 symbols: base 501; 501^5 ≈ 3.2e13 fits below 2^53 ≈ 9.0e15, 501^6 ≈ 1.6e16 does not.
    const chars = new Vocabulary<number>();
    chars.intern(Array.from({ length: 500 }, (_, k) => 0x4e00 + k));
    expect(chars.base(5)).toBe(501);
    expect(chars.base(6)).toBe(0);
  });

  it('counts every n-gram of orders 1..maxOrder, keyed by number or by joined ids', () => {
    // ids 1 2 1 2 1: unigrams 1 ×3, 2 ×2; bigrams (1 2) ×2, (2 1) ×2; trigrams (1 2 1) ×2, (2 1 2) ×1.
    // In base 3 the keys are 1, 2; 1·3 + 2 = 5, 2·3 + 1 = 7; 5·3 + 1 = 16, 7·3 + 2 = 23.
    const numeric = ngramCounts([1, 2, 1, 2, 1], 3, 3).map((order) => Object.fromEntries(order));
    expect(numeric).toEqual([
      { 1: 3, 2: 2 },
      { 5: 2, 7: 2 },
      { 16: 2, 23: 1 },
    ]);
    const joined = ngramCounts([1, 2, 1, 2, 1], 3, 0).map((order) => Object.fromEntries(order));
    expect(joined).toEqual([
      { 1: 3, 2: 2 },
      { '1,2': 2, '2,1': 2 },
      { '1,2,1': 2, '2,1,2': 1 },
    ]);
  });

  it('leaves an order empty when the sequence is shorter than it', () => {
    expect(ngramCounts([4, 4], 3, 5).map((order) => order.size)).toEqual([1, 1, 0]);
    expect(ngramCounts([], 2, 1).map((order) => order.size)).toEqual([0, 0]);
  });
});

describe('alignCounts on strings', () => {
  it('aligns code points exactly as it aligns the list of code points', () => {
    // Seeded pseudo-random strings over a small alphabet with an astral emoji and a combining mark.
    const alphabet = ['a', 'b', ' ', 'я', '😀', '\u0301'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const text = () => Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const ref = text();
      const hyp = text();
      expect(alignCounts(ref, hyp)).toEqual(alignCounts(Array.from(ref), Array.from(hyp)));
    }
    // "kitten" → "sitting": k→s and e→i substituted, g inserted; i, t, t, n are the 4 hits.
    expect(alignCounts('kitten', 'sitting')).toEqual({ hits: 4, substitutions: 2, deletions: 0, insertions: 1 });
  });
});
