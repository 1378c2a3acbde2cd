/**
 * Reads a list cell: a JSON array of strings (`["a", "b"]`), or a Python list literal of strings
 * (`['a', "b"]`, as the legacy VLMHyperBench CSVs write them). Returns undefined when the text is
 * neither; a list holding something other than strings is refused too.
 */
export function parseList(text: string): string[] | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (Array.isArray(json) && json.every((value) => typeof value === 'string')) return json;
  } catch {
    // Not JSON: try the Python form below.
  }
  return parsePythonList(text);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function parsePythonList(text: string): string[] | undefined {
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
  };
  skip();
  if (text[i] !== '[') return undefined;
  i += 1;
  const out: string[] = [];
  for (;;) {
    skip();
    if (text[i] === ']') break;
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return undefined;
    i += 1;
    let value = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\' && i + 1 < text.length) {
        const next = text[i + 1] as string;
        value += ESCAPES[next] ?? `\\${next}`;
        i += 2;
      } else {
        value += text[i];
        i += 1;
      }
    }
    if (i >= text.length) return undefined;
    i += 1;
    out.push(value);
    skip();
    if (text[i] === ',') i += 1;
    else if (text[i] !== ']') return undefined;
  }
  i += 1;
  skip();
  return i === text.length ? out : undefined;
}
