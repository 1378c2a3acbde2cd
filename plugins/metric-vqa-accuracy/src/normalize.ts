import { pySplit, pyStrip } from '@vhb/sdk';
import { ARTICLES, CONTRACTIONS, NUMBER_WORDS, PUNCTUATION } from './tables.js';

/**
 * The two regular expressions of `processPunctuation`, which the peers spell differently. Python's
 * `\d` in a str pattern is any Unicode decimal digit, hence `\p{Nd}` here.
 */
export interface PunctuationRules {
  /** Whether the text holds a comma between digits ("1,000"): then punctuation is deleted, not spaced. */
  comma: RegExp;
  /** The periods to delete; at most {@link MAX_PERIODS} of them are. */
  period: RegExp;
}

/**
 * `periodStrip.sub("", outText, re.UNICODE)` passes `re.UNICODE` (= 32) where `sub` expects its
 * `count`: every peer deletes at most the first 32 periods of an answer.
 */
export const MAX_PERIODS = 32;

/**
 * The official script's rules: `commaStrip = (\d)(\,)(\d)`, and `periodStrip = (?!<=\d)(\.)(?!\d)`,
 * a slip for the look-behind `(?<!\d)`: `(?!<=\d)` looks *ahead* for "<" "=" and a digit, which never
 * follow a position holding a period, so it deletes every period not followed by a digit: "2." → "2".
 */
export const OFFICIAL_RULES: PunctuationRules = { comma: /\p{Nd},\p{Nd}/u, period: /\.(?!\p{Nd})/gu };

/** lmms-eval's EvalAIAnswerProcessor: the same period slip, and `COMMA_STRIP = (?<=\d)(\,)+(?=\d)` ("1,,000" counts too). */
export const LMMS_EVAL_RULES: PunctuationRules = { comma: /\p{Nd},+\p{Nd}/u, period: /\.(?!\p{Nd})/gu };

/** VLMEvalKit's `process_punctuation` (vlmeval/smp/misc.py), which fixed the slip: `(?<!\d)\.(?!\d)`, so "2." keeps its period. */
export const VLMEVALKIT_RULES: PunctuationRules = { comma: /\p{Nd},\p{Nd}/u, period: /(?<!\p{Nd})\.(?!\p{Nd})/gu };

/**
 * `processPunctuation`: each of the 21 punctuation characters is deleted when it touches a space in
 * the input (`p + ' '` or `' ' + p`) or when the input has a comma between digits, and replaced by
 * a space otherwise; then the periods the rules pick are deleted, the first 32 only. Apostrophes,
 * colons, `*`, `#`, `%`, `&`, `$`, `~`, `^` and `|` are left alone.
 */
export function processPunctuation(text: string, rules: PunctuationRules = OFFICIAL_RULES): string {
  const digitComma = rules.comma.test(text);
  let out = text;
  for (const p of PUNCTUATION) {
    if (!out.includes(p)) continue;
    const remove = digitComma || text.includes(`${p} `) || text.includes(` ${p}`);
    out = out.replaceAll(p, remove ? '' : ' ');
  }
  if (!out.includes('.')) return out;
  let removed = 0;
  return out.replace(rules.period, (period) => (removed++ < MAX_PERIODS ? '' : period));
}

/**
 * `processDigitArticle`: lower-cases, splits on (Unicode) whitespace, maps the number words "none"
 * and "zero" to "ten" to digits, drops the articles "a", "an" and "the", restores the apostrophe of
 * known contractions ("dont" → "don't"), and joins the words with single spaces.
 */
export function processDigitArticle(text: string): string {
  const out: string[] = [];
  for (const lower of pySplit(text.toLowerCase())) {
    const word = NUMBER_WORDS.get(lower) ?? lower;
    if (!ARTICLES.has(word)) out.push(CONTRACTIONS.get(word) ?? word);
  }
  return out.join(' ');
}

/** What every peer does first: newlines and tabs to spaces, then Python's `strip()`. */
export function cleanAnswer(text: string): string {
  return pyStrip(text.replaceAll('\n', ' ').replaceAll('\t', ' '));
}

/** The full normalisation: {@link cleanAnswer}, {@link processPunctuation}, {@link processDigitArticle}. */
export function normalizeAnswer(text: string, rules: PunctuationRules = OFFICIAL_RULES): string {
  return processDigitArticle(processPunctuation(cleanAnswer(text), rules));
}

/**
 * lmms-eval's `EvalAIAnswerProcessor.__call__`, which its TextVQA task applies to the prediction and
 * to every answer: `word_tokenize` first (lower-case; delete every "," and "?"; "'s" → " 's";
 * strip), then {@link normalizeAnswer} with lmms-eval's rules.
 */
export function evalAiAnswer(text: string): string {
  const tokenized = pyStrip(text.toLowerCase().replaceAll(',', '').replaceAll('?', '').replaceAll("'s", " 's"));
  return normalizeAnswer(tokenized, LMMS_EVAL_RULES);
}
