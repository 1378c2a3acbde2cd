import { isPyWhitespace, pySplit } from '@vhb/sdk';

/** The tokenizers of sacrebleu this package ports: `13a` (the default), `char` and `none`. */
export type TokenizerName = '13a' | 'char' | 'none';

/**
 * sacrebleu's `TokenizerRegexp` rules, applied in order with `re.sub` semantics (leftmost,
 * non-overlapping). `[0-9]` is ASCII in Python too; `[^0-9]` is any code point (the `u` flag).
 */
const RULES: readonly { pattern: RegExp; replacement: string; needs: RegExp | null }[] = [
  // Language-dependent part (assuming Western languages): pad `{|}~ [\]^_\` space!"#$%& (-+ :;<=>?@ /`.
  // The class is sacrebleu's `[\{-\~\[-\` -\&\(-\+\:-\@\/]`, spelled in hex.
  { pattern: /([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40/])/gu, replacement: ' $1 ', needs: null },
  // Tokenize period and comma unless preceded by a digit.
  { pattern: /([^0-9])([.,])/gu, replacement: '$1 $2 ', needs: /[.,]/ },
  // Tokenize period and comma unless followed by a digit.
  { pattern: /([.,])([^0-9])/gu, replacement: ' $1 $2', needs: /[.,]/ },
  // Tokenize dash when preceded by a digit.
  { pattern: /([0-9])(-)/gu, replacement: '$1 $2 ', needs: /-/ },
];

/** `TokenizerRegexp.__call__`: the rules, then `' '.join(line.split())` with Python's whitespace. */
function tokenizeRegexp(line: string): string {
  let out = line;
  // A rule whose characters are absent cannot match: skipping it changes nothing but the time.
  for (const { pattern, replacement, needs } of RULES) if (needs === null || needs.test(out)) out = out.replace(pattern, replacement);
  return pySplit(out).join(' ');
}

/**
 * sacrebleu's `Tokenizer13a`, the default, equivalent to mteval-v13a.pl as WMT uses it: drops
 * `<skipped>`, joins lines hyphenated across a newline, turns newlines into spaces, unescapes
 * `&quot; &amp; &lt; &gt;` (in that order), then applies the regexp rules to `' ' + line + ' '`.
 */
export function tokenize13a(line: string): string {
  let out = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (out.includes('&')) {
    out = out.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return tokenizeRegexp(` ${out} `);
}

/** sacrebleu's `TokenizerChar`: every code point becomes a token (spaces too, which the later split drops). */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/** Python's `s.rstrip()` with no argument. */
function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

const TOKENIZERS: Record<TokenizerName, (line: string) => string> = {
  '13a': tokenize13a,
  char: tokenizeChar,
  none: (line) => line,
};

/**
 * `BLEU._preprocess_segment`: lower-cases when asked (`str.lower()`), strips trailing whitespace
 * (`str.rstrip()`), then tokenizes. The result's tokens are its Python-whitespace-separated words.
 */
export function preprocess(segment: string, tokenizer: TokenizerName, lowercase: boolean): string {
  return TOKENIZERS[tokenizer](pyRstrip(lowercase ? segment.toLowerCase() : segment));
}
