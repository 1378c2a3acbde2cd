/**
 * `json` (the text of a JSON object) with `"name": value` added as its last field, or undefined
 * when the text does not end in `}`. Lets the gateway pass an engine's answer on as the engine
 * wrote it, with its `vhb` timing appended, instead of parsing and serialising it again.
 */
export function withField(json: string, name: string, value: unknown): string | undefined {
  let end = json.length - 1;
  while (end >= 0 && isSpace(json.charCodeAt(end))) end -= 1;
  if (json[end] !== '}') return undefined;
  let before = end - 1;
  while (before >= 0 && isSpace(json.charCodeAt(before))) before -= 1;
  const comma = json[before] === '{' ? '' : ',';
  return `${json.slice(0, end)}${comma}${JSON.stringify(name)}:${JSON.stringify(value)}}`;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
