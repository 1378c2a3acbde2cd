import type { PromptTemplate } from '@vhb/sdk';

const labelsVariable = /\{\{\s*labels\s*\}\}/g;

/** Fills `{{labels}}` (comma-separated) in both parts of a template; renderPrompt only knows item fields. */
export function fillLabels(prompt: PromptTemplate, labels: readonly string[]): PromptTemplate {
  const list = labels.join(', ');
  const user = prompt.user.replace(labelsVariable, list);
  return prompt.system === undefined ? { ...prompt, user } : { ...prompt, user, system: prompt.system.replace(labelsVariable, list) };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `label` occurs in `text` as whole words: "form" is in "a tax form." but not in "information". */
function mentions(text: string, label: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(label)}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/**
 * Maps a free answer to one of the labels, in the label's own spelling:
 * 1. the answer equals a label, ignoring case and surrounding whitespace;
 * 2. else exactly one label occurs in the answer as whole words (ignoring case);
 * 3. else the trimmed answer itself, which then scores as wrong.
 */
export function matchLabel(raw: string, labels: readonly string[]): string {
  const answer = raw.trim();
  const lower = answer.toLowerCase();
  const exact = labels.find((label) => label.trim().toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const found = labels.filter((label) => mentions(answer, label.trim()));
  return found.length === 1 ? (found[0] as string) : answer;
}
