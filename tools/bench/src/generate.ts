import { Random } from './prng.js';
import {
  CONFUSABLE,
  CYRILLIC_LETTERS,
  ENGLISH,
  FIRST_NAMES,
  LAST_NAMES,
  LATIN_LETTERS,
  MONTHS,
  RUSSIAN,
  RUSSIAN_MONTHS,
  RUSSIAN_NAMES,
  UNICODE_ANSWERS,
} from './words.js';

/** One scored pair: what the model answered and the accepted answers. */
export interface BenchItem {
  prediction: string;
  references: string[];
}

type Script = 'latin' | 'cyrillic';

const scriptOf = (char: string): Script => (/[\u0400-\u04ff]/.test(char) ? 'cyrillic' : 'latin');

function casing(random: Random, text: string): string {
  const roll = random.next();
  if (roll < 0.25) return text.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  if (roll < 0.35) return text.toUpperCase();
  return text;
}

function words(random: Random, count: number): string {
  const vocabulary = random.chance(0.22) ? RUSSIAN : ENGLISH;
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(random.pick(vocabulary));
  return casing(random, out.join(' '));
}

function amount(random: Random): string {
  const whole = random.int(0, random.chance(0.5) ? 99 : 99_999);
  const cents = String(random.int(0, 99)).padStart(2, '0');
  const grouped = whole.toLocaleString('en-US');
  switch (random.int(0, 4)) {
    case 0:
      return String(whole);
    case 1:
      return `$${grouped}.${cents}`;
    case 2:
      return `${random.int(0, 100)}%`;
    case 3:
      return `${grouped.replace(/,/g, ' ')},${cents} руб.`;
    default:
      return `${whole}.${cents}`;
  }
}

function date(random: Random): string {
  const day = random.int(1, 28);
  const month = random.int(1, 10);
  const year = random.int(1990, 2025);
  switch (random.int(0, 2)) {
    case 0:
      return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
    case 1:
      return `${MONTHS[month - 1]} ${day}, ${year}`;
    default:
      return `${day} ${RUSSIAN_MONTHS[month - 1]} ${year} г.`;
  }
}

function person(random: Random): string {
  if (random.chance(0.25)) return random.pick(RUSSIAN_NAMES);
  return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
}

/** A short VQA answer: 1–5 words, an amount, a date, a name, or now and then a Unicode-heavy string. */
function vqaAnswer(random: Random): string {
  const roll = random.next();
  if (roll < 0.45) return words(random, random.int(1, 5));
  if (roll < 0.65) return amount(random);
  if (roll < 0.77) return date(random);
  if (roll < 0.95) return person(random);
  return random.pick(UNICODE_ANSWERS);
}

function randomLetter(random: Random, like: string): string {
  return random.pick(scriptOf(like) === 'cyrillic' ? CYRILLIC_LETTERS : LATIN_LETTERS);
}

/** One to `max` character edits (substitute, delete, insert), by code point. */
function typos(random: Random, text: string, max: number): string {
  const chars = Array.from(text);
  const edits = random.int(1, max);
  for (let k = 0; k < edits && chars.length > 0; k++) {
    const at = random.int(0, chars.length - 1);
    const char = chars[at] as string;
    const roll = random.next();
    if (roll < 0.5) chars[at] = random.pick(CONFUSABLE[char] ?? [randomLetter(random, char)]);
    else if (roll < 0.75) chars.splice(at, 1);
    else chars.splice(at, 0, randomLetter(random, char));
  }
  return chars.join('');
}

/** Another way of writing the same answer, as a second or third annotator would. */
function variant(random: Random, answer: string): string {
  switch (random.int(0, 4)) {
    case 0:
      return answer.toLowerCase();
    case 1:
      return `${answer}.`;
    case 2:
      return answer.split(' ').slice(0, -1).join(' ') || answer;
    case 3:
      return typos(random, answer, 1);
    default:
      return random.chance(0.3) ? `${answer} ` : answer.toUpperCase();
  }
}

/** What a model says for a question whose accepted answers are `references`, trimmed as the task trims it. */
function vqaPrediction(random: Random, references: readonly string[]): string {
  return rawPrediction(random, references).trim();
}

function rawPrediction(random: Random, references: readonly string[]): string {
  const base = random.pick(references).trim();
  const roll = random.next();
  if (roll < 0.4) return base;
  if (roll < 0.5) return random.chance(0.5) ? base.toUpperCase() : base.toLowerCase();
  if (roll < 0.55) return base.replace(' ', random.pick(['  ', '\t', '\u00a0', ' \n ']));
  if (roll < 0.75) return typos(random, base, 2);
  if (roll < 0.8) return random.chance(0.5) ? `${base} ${random.pick(ENGLISH)}` : base.split(' ').slice(1).join(' ') || base;
  if (roll < 0.83) return random.chance(0.7) ? `The answer is ${base}` : `Ответ: ${base}`;
  if (roll < 0.98) return vqaAnswer(random);
  return '';
}

/**
 * Short VQA answers for ANLS, endlessly and deterministically: 1–3 references of 1–5 words (English,
 * some Russian, some numbers, dates, names), and a prediction that is exact (40%), differs in case
 * or whitespace (15%), has typos (20%), a word more or less (5%), is verbose (3%), wrong (15%) or
 * empty (2%). Predictions have no outer whitespace: the task trims the model's text before scoring.
 */
export function* vqaItems(seed: number): Generator<BenchItem> {
  const random = new Random(seed);
  for (;;) {
    const answer = vqaAnswer(random);
    const count = random.chance(0.5) ? 1 : random.chance(0.6) ? 2 : 3;
    const references = [answer];
    while (references.length < count) references.push(variant(random, answer));
    yield { prediction: vqaPrediction(random, references), references };
  }
}

function ocrToken(random: Random, script: Script): string {
  const roll = random.next();
  if (roll < 0.1) return amount(random);
  if (roll < 0.13) return date(random);
  if (roll < 0.135) return random.pick(['😀', '✓', '№', '—', '«да»']);
  const word = random.pick(script === 'cyrillic' && random.chance(0.9) ? RUSSIAN : ENGLISH);
  const punctuation = random.chance(0.12) ? random.pick([',', '.', ':', ';']) : '';
  return (random.chance(0.15) ? word[0]?.toUpperCase() + word.slice(1) : word) + punctuation;
}

/** A printed line (10–80 characters) or paragraph (80–400), cut at a word boundary; characters are code points. */
function ocrReference(random: Random): string {
  const target = random.chance(0.6) ? random.int(10, 80) : random.int(80, 400);
  const script: Script = random.chance(0.2) ? 'cyrillic' : 'latin';
  let text = ocrToken(random, script);
  let length = Array.from(text).length;
  for (;;) {
    const token = ocrToken(random, script);
    const grown = length + 1 + Array.from(token).length;
    // Tokens are short, so a line still under 10 characters never overshoots 400 by growing.
    if (grown > target && length >= 10) return text;
    text = `${text} ${token}`;
    length = grown;
  }
}

/** OCR output for `reference`: each character wrong with probability `rate`, spaces now and then lost or doubled. */
function ocrNoise(random: Random, reference: string, rate: number): string {
  let out = '';
  for (const char of reference) {
    if (!random.chance(rate)) {
      out += char;
      continue;
    }
    const roll = random.next();
    if (char === ' ') out += roll < 0.5 ? '' : roll < 0.8 ? '  ' : '\t';
    else if (roll < 0.5) out += random.pick(CONFUSABLE[char] ?? [randomLetter(random, char)]);
    else if (roll < 0.75) out += '';
    else out += char + randomLetter(random, char);
  }
  return out;
}

/**
 * OCR-like transcriptions for CER and WER, endlessly and deterministically: one reference line or
 * paragraph of 10–400 characters (80% Latin script, 20% Cyrillic, with numbers, dates, the odd
 * emoji), and a prediction with 0–6% character noise (look-alike substitutions, deletions,
 * insertions, lost, doubled or tab spaces); 1% of predictions are empty, 1% a different line, 2%
 * carry outer whitespace or a newline.
 */
export function* ocrItems(seed: number): Generator<BenchItem> {
  const random = new Random(seed);
  for (;;) {
    const reference = ocrReference(random);
    const roll = random.next();
    let prediction: string;
    if (roll < 0.01) prediction = '';
    else if (roll < 0.02) prediction = ocrReference(random);
    else prediction = ocrNoise(random, reference, random.next() * 0.06);
    if (random.chance(0.02)) prediction = random.pick([` ${prediction}`, `${prediction}\n`, `\u3000${prediction} `]);
    yield { prediction, references: [reference] };
  }
}

/** The first `count` items of a generator, in an array. */
export function take<T>(items: Iterator<T>, count: number): T[] {
  const out: T[] = [];
  for (let k = 0; k < count; k++) out.push(items.next().value as T);
  return out;
}
