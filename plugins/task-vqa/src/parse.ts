/**
 * The short answer a VQA metric scores: the answer trimmed, then its first line, trimmed again.
 * Models asked for "a single word or phrase" often add an explanation on later lines; nothing
 * else is rewritten (no "Answer:" prefix or trailing period is removed), so scores stay comparable
 * with the published ANLS and exact-match definitions.
 */
export function parseVqaAnswer(raw: string): string {
  const text = raw.trim();
  const end = text.search(/\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).trim();
}
