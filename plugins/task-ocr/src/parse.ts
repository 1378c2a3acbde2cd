// A fence opened by three or more backticks (or tildes) with an optional info string, closed by the same run.
const fenced = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\1[ \t]*$/;

/**
 * Cleans a transcription: unwraps a markdown code fence around the whole answer (chat models add
 * one unasked), drops trailing whitespace of each line, then trims the whole text.
 * Inner line breaks and leading indentation are kept: they are part of the layout being scored.
 */
export function parseOcrAnswer(raw: string): string {
  let text = raw.trim();
  const fence = fenced.exec(text);
  if (fence) text = fence[2] as string;
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}
