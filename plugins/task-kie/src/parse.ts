type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The index just past the `}` that closes the `{` at `start`, or -1 when it is never closed.
 * Braces inside JSON strings (double quotes, backslash escapes) do not count.
 */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The JSON object a model's answer holds, or undefined when it holds none.
 *
 * - The whole answer, trimmed, is tried first: an object is returned; any other JSON value (an
 *   array, a string, a number) is not searched inside and gives undefined.
 * - Otherwise the text is scanned for the first balanced `{ … }` (braces inside JSON strings
 *   ignored) that parses with strict JSON as an object: code fences, prose before it and text after
 *   it are skipped. A balanced span that does not parse (a trailing comma, single quotes) is skipped
 *   whole, so an object nested inside a broken one is never taken for the answer; a `{` that is
 *   never closed is skipped alone.
 */
export function extractJsonObject(raw: string): JsonObject | undefined {
  const whole = parseJson(raw.trim());
  if (whole) return isObject(whole.value) ? whole.value : undefined;
  let from = 0;
  for (;;) {
    const start = raw.indexOf('{', from);
    if (start === -1) return undefined;
    const end = closingBrace(raw, start);
    if (end === -1) {
      from = start + 1;
      continue;
    }
    const candidate = parseJson(raw.slice(start, end));
    if (candidate && isObject(candidate.value)) return candidate.value;
    from = end;
  }
}

/**
 * The field names an item asks for: `metadata.fields` as a comma-separated string
 * (`'merchant, date, total'`) or a list of strings, each trimmed, blanks and repeats dropped.
 * Anything else gives `[]`.
 */
export function fieldNames(fields: unknown): string[] {
  const names = typeof fields === 'string' ? fields.split(',') : Array.isArray(fields) ? fields.filter((f) => typeof f === 'string') : [];
  return [...new Set(names.map((name) => name.trim()).filter((name) => name !== ''))];
}

/**
 * The prediction metric-json scores: the answer's JSON object (see `extractJsonObject`) written
 * back as compact JSON, its top-level keys in the order of `fields` (those present) followed by the
 * others in the order they came; or the answer trimmed when it holds no JSON object, so the metric
 * scores the structural failure. Values are kept as parsed; no key is added or dropped.
 */
export function parseKieAnswer(raw: string, fields?: unknown): string {
  const object = extractJsonObject(raw);
  if (!object) return raw.trim();
  const keys = Object.keys(object);
  const first = fieldNames(fields).filter((name) => Object.hasOwn(object, name));
  const ordered = [...first, ...keys.filter((key) => !first.includes(key))];
  // Written by hand so the order holds even for keys like "1" that JS objects would put first.
  return `{${ordered.map((key) => `${JSON.stringify(key)}:${JSON.stringify(object[key])}`).join(',')}}`;
}
