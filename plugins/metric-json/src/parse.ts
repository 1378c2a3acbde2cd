/** A fenced block, the whole (trimmed) answer: ```json ... ``` or ``` ... ```. */
const fence = /^```(?:json\b)?([\s\S]*?)```$/i;

/**
 * Parses a model's JSON answer: the text itself, or the inside of a markdown code fence that is the
 * whole answer (```json ... ```, surrounding whitespace allowed). Strict JSON (RFC 8259, as
 * `JSON.parse` and Python's `json.loads` read it, minus Python's NaN and Infinity); no comments,
 * trailing commas or single quotes. Returns `undefined` when the text is not JSON.
 */
export function parseJsonAnswer(text: string): { value: unknown } | undefined {
  const fenced = fence.exec(text.trim());
  try {
    return { value: JSON.parse(fenced ? (fenced[1] as string) : text) };
  } catch {
    return undefined;
  }
}
