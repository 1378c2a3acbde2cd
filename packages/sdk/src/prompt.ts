import type { DatasetItem } from './data.js';
import type { PromptTemplate } from './plugins.js';

const variable = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Fills `{{question}}`, `{{id}}` and `{{metadata.<key>}}` from the item; unknown variables become empty. */
export function renderTemplate(template: string, item: DatasetItem): string {
  return template.replace(variable, (_, path: string) => {
    if (path === 'question') return item.question ?? '';
    if (path === 'id') return item.id;
    if (path.startsWith('metadata.')) {
      const value = item.metadata[path.slice('metadata.'.length)];
      return value === undefined || value === null ? '' : String(value);
    }
    return '';
  });
}

/** Renders a template's system and user parts for one item. */
export function renderPrompt(prompt: PromptTemplate, item: DatasetItem): { system?: string; prompt: string } {
  const user = renderTemplate(prompt.user, item);
  return prompt.system === undefined ? { prompt: user } : { system: renderTemplate(prompt.system, item), prompt: user };
}
