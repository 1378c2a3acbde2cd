// Vocabulary for the generated answers and OCR lines: the words of invoices, forms, letters and
// receipts, in English and Russian, plus a few strings that exercise Unicode (ß, combining marks,
// CJK, emoji), which Python and JavaScript count differently unless the code is careful.

export const ENGLISH = `invoice total amount due date number account customer order payment tax subtotal balance
company address street city phone email name signature page item quantity price unit description
received shipped delivery reference contract agreement period annual report revenue income expenses
net gross profit loss quarter fiscal year month week department manager director office branch bank
transfer check receipt store cashier change card visa approved declined thank you for your business
please note that the above is correct and complete of to in on at by with from this that which
form section part line box field check applicant employer employee social security date birth
letter dear sincerely regards subject meeting schedule project budget approval request review
insurance policy claim premium coverage medical patient doctor hospital clinic prescription dose
north south east west main road avenue suite floor building center plaza park river lake hill`
  .split(/\s+/)
  .filter(Boolean);

export const RUSSIAN = `счёт итого сумма дата номер клиент заказ оплата налог баланс компания адрес улица город
телефон почта имя подпись страница товар количество цена единица описание получено доставка договор
период годовой отчёт выручка доход расходы прибыль убыток квартал год месяц неделя отдел менеджер
директор офис филиал банк перевод чек касса карта спасибо за покупку обратите внимание что указанные
данные верны полностью форма раздел часть строка поле заявитель работодатель сотрудник рождения
письмо уважаемый с уважением тема встреча расписание проект бюджет одобрение запрос проверка
страхование полис заявление врач больница клиника рецепт москва санкт петербург новосибирск`
  .split(/\s+/)
  .filter(Boolean);

export const FIRST_NAMES = ['John', 'Mary', 'James', 'Anna', 'Robert', 'Linda', 'Michael', 'Sarah', 'David', 'Emma'];
export const LAST_NAMES = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Clark', 'Lewis', 'Walker'];
export const RUSSIAN_NAMES = ['Иван Петров', 'Анна Смирнова', 'Сергей Иванов', 'Ольга Кузнецова', 'Дмитрий Попов', 'Елена Соколова'];
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October'];
export const RUSSIAN_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября'];

/** Answers that stress Unicode handling: ß upper-cases to two letters, é may be e + U+0301, emoji are astral. */
export const UNICODE_ANSWERS = [
  'Straße',
  'Große Straße 5',
  'café',
  'cafe\u0301',
  'naïve',
  '東京',
  '北京市',
  '👍',
  'ok 👌',
  '№ 12',
  '€ 45,00',
  'Ёлка',
  'Łódź',
];

/** What OCR confuses a character with, in both scripts (Latin/Cyrillic homoglyphs included). */
export const CONFUSABLE: Readonly<Record<string, readonly string[]>> = {
  o: ['0', 'о', 'c'],
  O: ['0', 'Q', 'О'],
  l: ['1', 'I', '|'],
  I: ['l', '1'],
  '1': ['l', 'I', '7'],
  '0': ['O', 'o'],
  e: ['c', 'е'],
  a: ['o', 'а'],
  m: ['rn', 'n'],
  n: ['h', 'ri'],
  r: ['n'],
  S: ['5', '$'],
  '5': ['S'],
  B: ['8', 'В'],
  '8': ['B'],
  ',': ['.', ';'],
  '.': [',', ''],
  о: ['o', '0'],
  е: ['e', 'ё'],
  а: ['a'],
  с: ['c', 'е'],
  р: ['p'],
  и: ['н', 'й'],
  ш: ['щ', 'ж'],
  т: ['г'],
};

export const LATIN_LETTERS = Array.from('abcdefghijklmnopqrstuvwxyz');
export const CYRILLIC_LETTERS = Array.from('абвгдеёжзийклмнопрстуфхцчшщъыьэюя');
