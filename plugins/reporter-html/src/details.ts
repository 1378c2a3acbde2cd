import { escapeHtml } from './escape.js';

type Scalar = string | number | boolean | null;
type Row = readonly [string, readonly (Scalar | undefined)[]];

const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalarRecord = (value: unknown): value is Record<string, Scalar> => isRecord(value) && Object.values(value).every(isScalar);

/** A number as an integer when `whole`, else with 4 decimals; other scalars as text; a dash for none. */
function cell(value: Scalar | undefined, whole: boolean): string {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'number') return whole || !Number.isFinite(value) ? String(value) : value.toFixed(4);
  return escapeHtml(String(value));
}

const numeric = (value: Scalar | undefined) => (typeof value === 'number' ? ' class="num"' : '');
const isWhole = (value: Scalar | undefined) => typeof value !== 'number' || Number.isInteger(value);

/**
 * A table with a name per row. Numbers show as integers where the whole column is (counts,
 * support), else with 4 decimals, so that a precision of 1 reads 1.0000 next to 0.7500; with
 * `byCell`, each value decides for itself (a column of unrelated values).
 */
function table(corner: string, columns: readonly string[], rows: readonly Row[], byCell = false): string {
  const whole = columns.map((_, c) => rows.every(([, values]) => isWhole(values[c])));
  const head = `<tr><th>${escapeHtml(corner)}</th>${columns.map((c) => `<th class="num">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map(([name, values]) => {
    const cells = values.map((v, c) => `<td${numeric(v)}>${cell(v, byCell ? isWhole(v) : (whole[c] as boolean))}</td>`);
    return `<tr><th>${escapeHtml(name)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="details">\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

/** A confusion matrix written as `{ labels: [...], matrix: [[...], ...] }`: rows are the true labels, columns the predicted. */
function isLabelledMatrix(value: unknown): value is { labels: string[]; matrix: number[][] } {
  if (!isRecord(value) || !Array.isArray(value.labels) || !Array.isArray(value.matrix)) return false;
  const labels = value.labels as unknown[];
  return (
    labels.every((l) => typeof l === 'string') &&
    value.matrix.length === labels.length &&
    value.matrix.every((row) => Array.isArray(row) && row.length === labels.length && row.every((v) => typeof v === 'number'))
  );
}

/** One entry of a metric's details, as the best-fitting table: a matrix, a table of records, a list of records, or JSON. */
function entry(key: string, value: unknown): string {
  const heading = `<h4>${escapeHtml(key)}</h4>`;
  if (isLabelledMatrix(value)) {
    const rows = value.labels.map((label, i): Row => [label, value.matrix[i] as number[]]);
    return `${heading}\n${table('true ↓ predicted →', value.labels, rows)}`;
  }
  const records = isRecord(value) ? Object.entries(value) : [];
  if (records.some(([, r]) => isScalarRecord(r)) && records.every(([, r]) => r === null || isScalarRecord(r))) {
    // { label: { precision, recall, ... } }, a confusion matrix as { true: { predicted: count } },
    // or { field: { mean, p50, ... } | null }.
    const columns = [...new Set(records.flatMap(([, r]) => Object.keys(r ?? {})))];
    const rows = records.map(([name, r]): Row => [name, columns.map((c) => (r as Record<string, Scalar> | null)?.[c])]);
    return `${heading}\n${table('', columns, rows)}`;
  }
  if (isScalarRecord(value)) {
    return `${heading}\n${table(
      '',
      ['value'],
      Object.entries(value).map(([name, v]): Row => [name, [v]]),
      true,
    )}`;
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isScalarRecord)) {
    const list = value as Record<string, Scalar>[];
    const columns = [...new Set(list.flatMap((r) => Object.keys(r)))];
    return `${heading}\n${table(
      '#',
      columns,
      list.map((r, i): Row => [String(i + 1), columns.map((c) => r[c])]),
    )}`;
  }
  return `${heading}\n<pre>${escapeHtml(JSON.stringify(value, null, 2) ?? String(value))}</pre>`;
}

/**
 * A metric's aggregate details as HTML tables: top-level numbers and strings together in one
 * table, then one table per nested entry (per-class scores, confusion matrices, per-field
 * summaries, lists of records); anything else as indented JSON.
 */
export function detailsHtml(details: Record<string, unknown>): string {
  const scalars = Object.entries(details).filter(([, v]) => isScalar(v)) as [string, Scalar][];
  const nested = Object.entries(details).filter(([, v]) => !isScalar(v));
  const parts: string[] = [];
  if (scalars.length > 0)
    parts.push(
      table(
        '',
        ['value'],
        scalars.map(([name, v]): Row => [name, [v]]),
        true,
      ),
    );
  for (const [key, value] of nested) parts.push(entry(key, value));
  return parts.join('\n');
}
