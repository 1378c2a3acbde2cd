import type { Language } from '../model.js';
import type { Rng } from '../prng.js';

/** A calendar date, drawn by the PRNG: never read from the clock. */
export interface SimpleDate {
  year: number;
  month: number;
  day: number;
}

export interface Person {
  /** As a form asks for it (en: "John Smith", ru: "Иванов Иван Петрович"). */
  formal: string;
  /** As a letter is signed ("John Smith", "Иван Иванов"). */
  signature: string;
  /** The letter's opening line ("Dear Mr. Smith,", "Уважаемый Иван Петрович!"). */
  salutation: string;
  /** The name in the salutation, as drawn there ("Mr. Smith", "Иван Петрович"). */
  addressee: string;
  email: string;
}

/** A shop or catalogue item: name and price range in minor units (cents, kopecks). */
export type Item = readonly [name: string, min: number, max: number];

/** Everything language-specific the document generators need: words, formats, labels. */
export interface Locale {
  language: Language;
  money(minor: number): string;
  shortDate(date: SimpleDate): string;
  longDate(date: SimpleDate): string;
  person(rng: Rng): Person;
  street(rng: Rng): string;
  city(rng: Rng): string;
  phone(rng: Rng): string;
  receipt: {
    stores: readonly string[];
    items: readonly Item[];
    date: string;
    time: string;
    number: string;
    subtotal: string;
    tax: (rate: number) => string;
    total: string;
    paid: readonly string[];
    thanks: readonly string[];
    askTotal: string;
    askDate: string;
    askStore: string;
  };
  form: {
    titles: readonly (readonly [title: string, subtitle: string])[];
    name: string;
    birth: string;
    address: string;
    city: string;
    phone: string;
    email: string;
    occupation: string;
    occupations: readonly string[];
    signed: string;
    askName: string;
    askBirth: string;
    askPhone: string;
  };
  letter: {
    companies: readonly string[];
    roles: readonly string[];
    /** Sentence templates: {date} {city} {number} {count} {days} {phone} are filled in. */
    sentences: readonly string[];
    closings: readonly string[];
    askSigner: string;
    askDate: string;
  };
  invoice: {
    companies: readonly string[];
    items: readonly Item[];
    title: string;
    number: string;
    /** The invoice number as drawn after the `number` label. */
    numberAnswer: (number: number) => string;
    date: string;
    due: string;
    from: string;
    billTo: string;
    columns: readonly [string, string, string, string];
    subtotal: string;
    tax: (rate: number) => string;
    total: string;
    askNumber: string;
    askTotal: string;
  };
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** Minor units as "units<sep>minor", no grouping: 123456 → "1234.56". */
export function formatMoney(minor: number, separator: string): string {
  return `${Math.floor(minor / 100)}${separator}${pad2(minor % 100)}`;
}

export function randomDate(rng: Rng): SimpleDate {
  // Day 1–28 keeps every month valid without a calendar.
  return { year: rng.int(2021, 2024), month: rng.int(1, 12), day: rng.int(1, 28) };
}
