import { describe, expect, it } from 'vitest';
import { tokenize13a } from '../src/index.js';
import { preprocess } from '../src/tokenizer.js';

// Each expectation applies sacrebleu's tokenizer_13a.py / tokenizer_re.py rules by hand, in order:
// (1) pad {|}~ [\]^_` space!"#$%& (-+ :;<=>?@ / with spaces; (2) split . , after a non-digit;
// (3) split . , before a non-digit; (4) split - after a digit; then ' '.join(line.split()).
describe('tokenize13a', () => {
  it('splits punctuation off words', () => {
    // (1) pads "!"; (2) "o," → "o , "; (3) ", " → " ,  ".
    expect(tokenize13a('Hello, world!')).toBe('Hello , world !');
    // (1) pads "$"; "3.50" keeps its period (digit on both sides); "0," has a digit before but a space
    // after, so (3) splits it; "k." is split by (2).
    expect(tokenize13a('It costs $3.50, ok.')).toBe('It costs $ 3.50 , ok .');
    expect(tokenize13a('(a) [b] {c} <d> 50% @me #1 a/b a:b a;b a=b a?b a^b a_b a`b a|b a~b')).toBe(
      '( a ) [ b ] { c } < d > 50 % @ me # 1 a / b a : b a ; b a = b a ? b a ^ b a _ b a ` b a | b a ~ b',
    );
  });

  it('keeps apostrophes, inner hyphens and digit groups, and splits a dash after a digit', () => {
    // "'" and "-" are outside the class of rule (1); rule (4) splits "2-" only.
    expect(tokenize13a("don't x-ray 1,000 2-3 -5")).toBe("don't x-ray 1,000 2 - 3 -5");
    // A trailing period after a digit: (2) needs a non-digit before it, (3) a non-digit after it (the added space).
    expect(tokenize13a('in 2024.')).toBe('in 2024 .');
  });

  it('unescapes the four entities, drops <skipped>, and joins hyphenation across newlines', () => {
    // &quot; → ", &amp; → &, &lt; → <, &gt; → >, each then padded by rule (1).
    expect(tokenize13a('&quot;Hi&quot; &amp; &lt;b&gt;')).toBe('" Hi " & < b >');
    // "&amp;quot;" → (no &quot; yet) → "&quot;" after &amp;, which stays: the replacements run once, in order.
    expect(tokenize13a('&amp;quot;')).toBe('& quot ;');
    expect(tokenize13a('<skipped>one-\ntwo\nthree')).toBe('onetwo three');
  });

  it('treats every non-ASCII character as a non-digit letter, by code point', () => {
    expect(tokenize13a('Москва, 東京.')).toBe('Москва , 東京 .');
    // Python's [0-9] is ASCII only: Arabic-Indic digits do not protect a period.
    expect(tokenize13a('٣.٥ 3.5')).toBe('٣ . ٥ 3.5');
    // An emoji outside the BMP is one character before the period.
    expect(tokenize13a('ok😀.')).toBe('ok😀 .');
  });

  it("splits on Python's whitespace: no-break space and U+001C yes, the BOM no", () => {
    expect(tokenize13a('a\u00a0b\u3000c\u001cd\te')).toBe('a b c d e');
    expect(tokenize13a('a\ufeff b')).toBe('a\ufeff b');
    expect(tokenize13a('   ')).toBe('');
    expect(tokenize13a('')).toBe('');
  });
});

describe('preprocess', () => {
  it('lower-cases first when asked, as str.lower(), final sigma included', () => {
    expect(preprocess('ΟΔΟΣ The', '13a', true)).toBe('\u03bf\u03b4\u03bf\u03c2 the'); // ends in final ς
    expect(preprocess('İ', '13a', true)).toBe('i\u0307');
    expect(preprocess('The', '13a', false)).toBe('The');
  });

  it('strips trailing whitespace before tokenizing, so a final "-\\n" stays a dash', () => {
    // rstrip turns "a-\n" into "a-"; without it, "-\n" would be removed as hyphenation.
    expect(preprocess('a-\n', '13a', false)).toBe('a-');
    expect(preprocess('a-\nb', '13a', false)).toBe('ab');
  });

  it('char makes every code point a token; none only splits on whitespace', () => {
    // TokenizerChar joins the code points with spaces, the space itself included; the n-gram split drops it.
    expect(preprocess('東京 ok😀', 'char', false)).toBe('東 京   o k 😀');
    expect(preprocess('Hello, world!', 'none', false)).toBe('Hello, world!');
  });
});
