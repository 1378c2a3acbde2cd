import type { Rng } from '../prng.js';
import { formatMoney, type Locale, pad2 } from './locale.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MALE = ['James', 'John', 'Robert', 'Michael', 'David', 'Daniel', 'Thomas', 'Peter', 'George', 'Henry'];
const FEMALE = ['Mary', 'Linda', 'Susan', 'Karen', 'Emily', 'Laura', 'Anna', 'Helen', 'Grace', 'Alice'];
const LAST = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Clark', 'Walker', 'Turner', 'Baker', 'Parker'];
const STREETS = ['Oak Street', 'Maple Avenue', 'Pine Road', 'Cedar Lane', 'Elm Street', 'Hill Road', 'Lake Drive', 'Park Avenue'];
const CITIES = ['Springfield', 'Riverside', 'Fairview', 'Greenville', 'Madison', 'Clinton', 'Franklin', 'Georgetown'];

export const en: Locale = {
  language: 'en',
  money: (minor) => formatMoney(minor, '.'),
  shortDate: (d) => `${d.year}-${pad2(d.month)}-${pad2(d.day)}`,
  longDate: (d) => `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  person(rng: Rng) {
    const female = rng.chance(0.5);
    const first = rng.pick(female ? FEMALE : MALE);
    const last = rng.pick(LAST);
    // The salutation names another surname, drawn after the person's own (the draw order is fixed).
    const addressee = `${female ? 'Ms.' : 'Mr.'} ${rng.pick(LAST)}`;
    return {
      formal: `${first} ${last}`,
      signature: `${first} ${last}`,
      salutation: `Dear ${addressee},`,
      addressee,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    };
  },
  street: (rng) => `${rng.int(2, 250)} ${rng.pick(STREETS)}`,
  city: (rng) => rng.pick(CITIES),
  phone: (rng) => `+1 555 ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
  receipt: {
    stores: ['GREEN LEAF MARKET', 'CORNER BAKERY', 'CITY PHARMACY', 'FRESH FOODS', 'BLUE SKY CAFE', 'HOME HARDWARE'],
    items: [
      ['Whole milk 1L', 119, 289],
      ['White bread', 149, 349],
      ['Apples 1kg', 199, 499],
      ['Orange juice', 249, 549],
      ['Cheddar cheese', 399, 899],
      ['Coffee beans', 799, 1599],
      ['Green tea', 299, 699],
      ['Eggs 12 pack', 249, 499],
      ['Pasta 500g', 119, 299],
      ['Tomato sauce', 149, 349],
      ['Chocolate bar', 99, 299],
      ['Bananas', 99, 249],
      ['Paper towels', 299, 799],
      ['Dish soap', 199, 499],
      ['Croissant', 149, 399],
      ['Cappuccino', 299, 549],
    ],
    date: 'Date:',
    time: 'Time:',
    number: 'Receipt No:',
    subtotal: 'Subtotal',
    tax: (rate) => `Tax ${rate}%`,
    total: 'TOTAL',
    paid: ['Paid by card', 'Paid in cash'],
    thanks: ['Thank you for shopping with us!', 'Thank you, come again!', 'Have a nice day!'],
    askTotal: 'What is the total amount?',
    askDate: 'What is the date on the receipt?',
    askStore: 'What is the name of the store?',
  },
  form: {
    titles: [
      ['APPLICATION FORM', 'Library membership'],
      ['REGISTRATION FORM', 'Evening courses'],
      ['CUSTOMER INFORMATION', 'New account'],
      ['PATIENT INTAKE FORM', 'First visit'],
    ],
    name: 'Full name:',
    birth: 'Date of birth:',
    address: 'Address:',
    city: 'City:',
    phone: 'Phone:',
    email: 'Email:',
    occupation: 'Occupation:',
    occupations: ['Teacher', 'Engineer', 'Nurse', 'Accountant', 'Student', 'Designer', 'Driver'],
    signed: 'Date signed:',
    askName: 'What is the full name on the form?',
    askBirth: 'What is the date of birth?',
    askPhone: 'What is the phone number?',
  },
  letter: {
    companies: ['Northwind Traders', 'Acme Supplies Ltd.', 'Bright Path Consulting', 'Harbor Logistics', 'Summit Insurance'],
    roles: ['Office Manager', 'Sales Director', 'Customer Service', 'Account Manager'],
    sentences: [
      'Thank you for your letter of {date}.',
      'I am writing to confirm our meeting in {city} next week.',
      'Please find enclosed the documents for order number {number}.',
      'Our office will be closed on {date} for maintenance.',
      'We would be glad to welcome you at our annual meeting.',
      'The invoice for {count} items has been sent to your accounting department.',
      'If you have any questions, please call us at {phone}.',
      'Your request has been approved and will be processed within {days} days.',
      'We have received your payment and updated your account.',
      'The new price list will apply from {date}.',
    ],
    closings: ['Sincerely,', 'Best regards,', 'Yours faithfully,', 'Kind regards,'],
    askSigner: 'Who signed the letter?',
    askDate: 'What is the date of the letter?',
  },
  invoice: {
    companies: ['Northwind Traders', 'Acme Supplies Ltd.', 'Contoso Office', 'Harbor Logistics', 'Pioneer Tools', 'Oak Tree Printing'],
    items: [
      ['Printer paper', 399, 899],
      ['Ink cartridge', 1999, 4599],
      ['Desk lamp', 1599, 3999],
      ['Office chair', 8999, 19999],
      ['USB cable', 499, 1299],
      ['Notebook A4', 199, 599],
      ['Stapler', 599, 1499],
      ['Monitor stand', 2499, 5999],
      ['Wireless mouse', 1299, 2999],
      ['Keyboard', 1999, 4999],
    ],
    title: 'INVOICE',
    number: 'Invoice No:',
    numberAnswer: (n) => `INV-${n}`,
    date: 'Date:',
    due: 'Due date:',
    from: 'From:',
    billTo: 'Bill to:',
    columns: ['Description', 'Qty', 'Price', 'Amount'],
    subtotal: 'Subtotal',
    tax: (rate) => `Tax ${rate}%`,
    total: 'Total due',
    askNumber: 'What is the invoice number?',
    askTotal: 'What is the total amount due?',
  },
};
