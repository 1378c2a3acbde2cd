import { type Block, type DocSpec, type DocType, type Question, row } from '../model.js';
import type { Rng } from '../prng.js';
import { type Locale, pad2, randomDate, type SimpleDate } from './locale.js';

/** Sums money in integer minor units, so totals are exact and printable. */
function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function percentOf(minor: number, rate: number): number {
  return Math.round((minor * rate) / 100);
}

/** The date one month later, same day (days stop at 28, so it always exists). */
function nextMonth(date: SimpleDate): SimpleDate {
  return date.month === 12 ? { year: date.year + 1, month: 1, day: date.day } : { ...date, month: date.month + 1 };
}

/** A price drawn in the item's range, ending in 9 or 0 like real prices. */
function price(rng: Rng, min: number, max: number): number {
  return Math.floor(rng.int(min, max) / 10) * 10 + (rng.chance(0.5) ? 9 : 0);
}

function receipt(locale: Locale, rng: Rng): DocSpec {
  const words = locale.receipt;
  const store = rng.pick(words.stores);
  const date = randomDate(rng);
  const lines = rng.sample(words.items, rng.int(3, 7)).map(([name, min, max]) => {
    const quantity = rng.chance(0.25) ? rng.int(2, 3) : 1;
    const unit = price(rng, min, max);
    return { label: quantity > 1 ? `${quantity} x ${name}` : name, amount: quantity * unit };
  });
  const subtotal = sum(lines.map((line) => line.amount));
  const rate = rng.pick(locale.language === 'ru' ? [10, 20] : [0, 5, 8, 10]);
  const tax = percentOf(subtotal, rate);
  const total = subtotal + tax;
  // Drawn in the order the rows below show them: the PRNG stream must not change.
  const address = `${locale.street(rng)}, ${locale.city(rng)}`;
  const phone = locale.phone(rng);
  const time = `${pad2(rng.int(8, 21))}:${pad2(rng.int(0, 59))}`;
  const receiptNumber = rng.int(1000, 99999);
  const blocks: Block[] = [
    row.center(store, true, 30),
    row.center(address),
    row.center(phone),
    { kind: 'gap' },
    row.pair(`${words.date} ${locale.shortDate(date)}`, `${words.time} ${time}`),
    row.left(`${words.number} ${receiptNumber}`),
    { kind: 'rule' },
    ...lines.map((line) => row.pair(line.label, locale.money(line.amount))),
    { kind: 'rule' },
    row.pair(words.subtotal, locale.money(subtotal)),
    ...(rate > 0 ? [row.pair(words.tax(rate), locale.money(tax))] : []),
    row.pair(words.total, locale.money(total), true),
    { kind: 'gap' },
    row.left(rng.pick(words.paid)),
    row.center(rng.pick(words.thanks)),
  ];
  const second = rng.chance(0.5)
    ? { question: words.askDate, answer: locale.shortDate(date) }
    : { question: words.askStore, answer: store };
  return {
    docType: 'receipt',
    language: locale.language,
    blocks,
    questions: [{ question: words.askTotal, answer: locale.money(total) }, second],
    fields: { merchant: store, date: locale.shortDate(date), time, total: locale.money(total) },
  };
}

function form(locale: Locale, rng: Rng): DocSpec {
  const words = locale.form;
  const [title, subtitle] = rng.pick(words.titles);
  const person = locale.person(rng);
  const birth = { year: rng.int(1950, 2004), month: rng.int(1, 12), day: rng.int(1, 28) };
  const phone = locale.phone(rng);
  const column = 0.36;
  // Drawn in the order the rows below show them: the PRNG stream must not change.
  const street = locale.street(rng);
  const city = locale.city(rng);
  const withEmail = rng.chance(0.6);
  const occupation = rng.pick(words.occupations);
  const signed = locale.shortDate(randomDate(rng));
  const blocks: Block[] = [
    row.center(title, true, 30),
    row.center(subtitle),
    { kind: 'rule' },
    row.field(words.name, person.formal, column),
    row.field(words.birth, locale.shortDate(birth), column),
    row.field(words.address, street, column),
    row.field(words.city, city, column),
    row.field(words.phone, phone, column),
    ...(withEmail ? [row.field(words.email, person.email, column)] : []),
    row.field(words.occupation, occupation, column),
    { kind: 'rule' },
    row.field(words.signed, signed, column),
  ];
  const questions: Question[] = [{ question: words.askName, answer: person.formal }];
  if (rng.chance(0.75)) {
    questions.push(
      rng.chance(0.5) ? { question: words.askBirth, answer: locale.shortDate(birth) } : { question: words.askPhone, answer: phone },
    );
  }
  const fields = { name: person.formal, birth_date: locale.shortDate(birth), city, phone, occupation, date: signed };
  return { docType: 'form', language: locale.language, blocks, questions, fields };
}

function letter(locale: Locale, rng: Rng): DocSpec {
  const words = locale.letter;
  const date = randomDate(rng);
  const recipient = locale.person(rng);
  const signer = locale.person(rng);
  const fill = (template: string) =>
    template
      .replace('{date}', locale.longDate(randomDate(rng)))
      .replace('{city}', locale.city(rng))
      .replace('{number}', String(rng.int(10000, 99999)))
      .replace('{count}', String(rng.int(5, 20)))
      .replace('{days}', String(rng.int(5, 14)))
      .replace('{phone}', locale.phone(rng))
      // A date that ends in an abbreviation ("2023 г.") already ends the sentence.
      .replace(/\.\.$/, '.');
  const sentences = rng.sample(words.sentences, rng.int(4, 5)).map(fill);
  // Drawn in the order the rows below show them: the PRNG stream must not change.
  const company = rng.pick(words.companies);
  const street = locale.street(rng);
  const city = locale.city(rng);
  const closing = rng.pick(words.closings);
  const role = rng.pick(words.roles);
  const blocks: Block[] = [
    row.left(company, true),
    row.left(street),
    row.left(city),
    { kind: 'gap' },
    row.right(locale.longDate(date)),
    { kind: 'gap' },
    row.left(recipient.salutation),
    { kind: 'paragraph', text: sentences.slice(0, 2).join(' ') },
    { kind: 'gap' },
    { kind: 'paragraph', text: sentences.slice(2).join(' ') },
    { kind: 'gap' },
    row.left(closing),
    row.left(signer.signature),
    row.left(role),
  ];
  const questions: Question[] = [{ question: words.askSigner, answer: signer.signature }];
  if (rng.chance(0.75)) questions.push({ question: words.askDate, answer: locale.longDate(date) });
  const fields = { sender: company, recipient: recipient.addressee, signer: signer.signature, date: locale.longDate(date) };
  return { docType: 'letter', language: locale.language, blocks, questions, fields };
}

function invoice(locale: Locale, rng: Rng): DocSpec {
  const words = locale.invoice;
  const number = rng.int(1000, 9999);
  const date = randomDate(rng);
  const [seller, buyer] = rng.sample(words.companies, 2) as [string, string];
  const lines = rng.sample(words.items, rng.int(2, 5)).map(([name, min, max]) => {
    const quantity = rng.int(1, 9);
    const unit = price(rng, min, max);
    return { name, quantity, unit, amount: quantity * unit };
  });
  const subtotal = sum(lines.map((line) => line.amount));
  const rate = rng.pick(locale.language === 'ru' ? [20] : [5, 10, 20]);
  const tax = percentOf(subtotal, rate);
  const total = subtotal + tax;
  const column = 0.33;
  const table = (cells: [string, string, string, string], bold = false): Block => ({
    kind: 'row',
    cells: [
      { text: cells[0], bold, at: 0, align: 'left' },
      { text: cells[1], bold, at: 0.55, align: 'right' },
      { text: cells[2], bold, at: 0.77, align: 'right' },
      { text: cells[3], bold, at: 1, align: 'right' },
    ],
  });
  const blocks: Block[] = [
    row.left(words.title, true, 32),
    { kind: 'gap' },
    row.field(words.number, words.numberAnswer(number), column),
    row.field(words.date, locale.shortDate(date), column),
    row.field(words.due, locale.shortDate(nextMonth(date)), column),
    row.field(words.from, seller, column),
    row.field(words.billTo, buyer, column),
    { kind: 'rule' },
    table([...words.columns], true),
    ...lines.map((line) => table([line.name, String(line.quantity), locale.money(line.unit), locale.money(line.amount)])),
    { kind: 'rule' },
    row.pair(words.subtotal, locale.money(subtotal)),
    row.pair(words.tax(rate), locale.money(tax)),
    row.pair(words.total, locale.money(total), true),
  ];
  const questions: Question[] = [{ question: words.askNumber, answer: words.numberAnswer(number) }];
  if (rng.chance(0.75)) questions.push({ question: words.askTotal, answer: locale.money(total) });
  const fields = {
    number: words.numberAnswer(number),
    date: locale.shortDate(date),
    due_date: locale.shortDate(nextMonth(date)),
    vendor: seller,
    customer: buyer,
    total: locale.money(total),
  };
  return { docType: 'invoice', language: locale.language, blocks, questions, fields };
}

/** One generator per document type; each draws all of its content from `rng`. */
export const generators: Record<DocType, (locale: Locale, rng: Rng) => DocSpec> = { receipt, form, letter, invoice };
