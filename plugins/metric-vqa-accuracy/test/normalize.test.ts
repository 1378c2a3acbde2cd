import { describe, expect, it } from 'vitest';
import {
  cleanAnswer,
  evalAiAnswer,
  LMMS_EVAL_RULES,
  normalizeAnswer,
  OFFICIAL_RULES,
  processDigitArticle,
  processPunctuation,
  VLMEVALKIT_RULES,
} from '../src/index.js';

// Expected values worked out by hand from vqaEval.py's processPunctuation / processDigitArticle
// (GT-Vision-Lab/VQA), lmms-eval's EvalAIAnswerProcessor and VLMEvalKit's process_punctuation.

describe('processPunctuation', () => {
  it('turns punctuation into a space, or deletes it where it touches a space', () => {
    // "!" touches no space: replaced by " ".
    expect(processPunctuation('yes!')).toBe('yes ');
    expect(processPunctuation('red-blue')).toBe('red blue');
    // "-" has a space on each side ("- " is in the text): deleted, the two spaces stay.
    expect(processPunctuation('red - blue')).toBe('red  blue');
    // ", " is in the text: every "," is deleted, even the one that touches no space.
    expect(processPunctuation('a,b, c')).toBe('ab c');
    // Apostrophes, colons, "%", "#", "*" are not in the list.
    expect(processPunctuation("it's 12:30, 50% #1 *")).toBe("it's 12:30 50% #1 *");
  });

  it('deletes all punctuation when the text has a comma between two digits', () => {
    // "1,000" matches (\d)(,)(\d): "(" and ")" are deleted too, though they touch no space.
    expect(processPunctuation('(1,000)')).toBe('1000');
    // Python's \d is Unicode: Arabic-Indic digits count.
    expect(processPunctuation('٣,٥')).toBe('٣٥');
  });

  it('reads "1,,000" as digits only with lmms-eval\'s (?<=\\d)(\\,)+(?=\\d)', () => {
    // Official: no single comma between digits, and no "," touches a space: each "," → " ".
    expect(processPunctuation('1,,000', OFFICIAL_RULES)).toBe('1  000');
    expect(processPunctuation('1,,000', VLMEVALKIT_RULES)).toBe('1  000');
    expect(processPunctuation('1,,000', LMMS_EVAL_RULES)).toBe('1000');
  });

  it('deletes periods not followed by a digit, "2." included, except in VLMEvalKit', () => {
    // periodStrip (?!<=\d)(\.)(?!\d) looks ahead for "<=" + digit: never there, so only (?!\d) acts.
    expect(processPunctuation('2.', OFFICIAL_RULES)).toBe('2');
    expect(processPunctuation('2.', LMMS_EVAL_RULES)).toBe('2');
    // VLMEvalKit's (?<!\d)\.(?!\d) keeps a period after a digit.
    expect(processPunctuation('2.', VLMEVALKIT_RULES)).toBe('2.');
    expect(processPunctuation('٣.', VLMEVALKIT_RULES)).toBe('٣.');
    for (const rules of [OFFICIAL_RULES, LMMS_EVAL_RULES, VLMEVALKIT_RULES]) {
      // A period followed by a digit stays everywhere; the others go.
      expect(processPunctuation('3.5 .5 U.S.A. e.g.', rules)).toBe('3.5 .5 USA eg');
    }
  });

  it('deletes at most the first 32 periods (re.UNICODE = 32 passed as the count)', () => {
    const text = `a${'.'.repeat(40)}`;
    for (const rules of [OFFICIAL_RULES, LMMS_EVAL_RULES, VLMEVALKIT_RULES]) {
      expect(processPunctuation(text, rules)).toBe(`a${'.'.repeat(8)}`);
    }
  });
});

describe('processDigitArticle', () => {
  it('lower-cases, maps number words, drops articles and restores contractions', () => {
    expect(processDigitArticle('The Two Cats')).toBe('2 cats');
    expect(processDigitArticle('None')).toBe('0');
    expect(processDigitArticle('an apple a day')).toBe('apple day');
    expect(processDigitArticle('dont WHATS')).toBe("don't what's");
    // Only words up to ten are mapped, and "eleven" is not.
    expect(processDigitArticle('ten eleven')).toBe('10 eleven');
  });

  it('keeps the table\'s quirks: capitalised keys never match, "somebody\'d" loses its apostrophe', () => {
    // "Im" is a key, but the word is lower-cased to "im" before the look-up.
    expect(processDigitArticle('Im Ive')).toBe('im ive');
    expect(processDigitArticle("somebody'd")).toBe('somebodyd');
  });

  it('splits on Unicode whitespace as str.split() does, and lower-cases Cyrillic', () => {
    expect(processDigitArticle(' a\u00a0Москва\u3000\tthe  东京 ')).toBe('москва 东京');
    expect(processDigitArticle('')).toBe('');
  });
});

describe('cleanAnswer and normalizeAnswer', () => {
  it('turns newlines and tabs into spaces, then strips', () => {
    expect(cleanAnswer('\t yes\nsir \n')).toBe('yes sir');
    expect(cleanAnswer('\u00a0yes\u2003')).toBe('yes');
  });

  it('chains clean, punctuation and digits/articles', () => {
    // "The two." → "The two" (period) → "2" (article dropped, "two" → "2").
    expect(normalizeAnswer('The two.')).toBe('2');
    // "Yes, it is!" → ", " present: "," deleted; "!" → " " → "yes it is".
    expect(normalizeAnswer('Yes, it is!')).toBe('yes it is');
    expect(normalizeAnswer('😀!')).toBe('😀');
  });
});

describe('evalAiAnswer (lmms-eval TextVQA)', () => {
  it('deletes "," and "?" and splits "\'s" before the usual normalisation', () => {
    // lower → "what's up, doc?" → drop "," "?" → "what's up doc" → "'s" → " 's" → "what 's up doc".
    expect(evalAiAnswer("What's up, Doc?")).toBe("what 's up doc");
    // "?" inside a word is deleted here, where processPunctuation alone would space it.
    expect(evalAiAnswer('what?ever')).toBe('whatever');
    expect(normalizeAnswer('what?ever', LMMS_EVAL_RULES)).toBe('what ever');
    // "1,000" loses its comma first, so punctuation is no longer deleted wholesale: "(" → " ".
    expect(evalAiAnswer('(1,000)')).toBe('1000');
  });
});
