import type { KindTemplate } from './types.js';

export const task: KindTemplate = {
  kind: 'task',
  description: 'Short-answer questions: asks for one word or phrase and strips an "Answer:" prefix from the reply',
  contract:
    '`export default defineTask({ name, version, description, options?, defaultPrompt, defaultMetrics, buildRequest(item, prompt, options), parseAnswer?(raw, item, options) })`: `buildRequest` returns `{ id, image?, prompt, system? }` (the host adds the settings); `parseAnswer` turns the raw text into the prediction the metrics score.',
  index: ({ pluginName }) => `import { defineTask, renderPrompt, z } from '@vhb/sdk';

/** Options, validated by the host before the task sees them. */
export const optionsSchema = z
  .object({
    /** Remove one trailing full stop from the answer. */
    stripFullStop: z.boolean().default(true),
  })
  .strict();
export type ShortAnswerOptions = z.infer<typeof optionsSchema>;

/** Trims the reply, drops a leading "Answer:" (any case) and, when asked, one trailing full stop. */
export function parseShortAnswer(raw: string, stripFullStop = true): string {
  let answer = raw.trim().replace(/^answer\\s*:\\s*/iu, '');
  if (stripFullStop && answer.endsWith('.')) answer = answer.slice(0, -1);
  return answer.trim();
}

export default defineTask<ShortAnswerOptions>({
  name: '${pluginName}',
  version: '0.1.0',
  description: 'Short-answer questions: asks for one word or phrase and strips an "Answer:" prefix',
  options: optionsSchema,
  defaultPrompt: { id: '${pluginName}-default', user: '{{question}}\\nAnswer with a single word or phrase.' },
  defaultMetrics: ['exact-match'],
  buildRequest(item, prompt) {
    const rendered = renderPrompt(prompt, item);
    return item.image === undefined ? { id: item.id, ...rendered } : { id: item.id, image: item.image, ...rendered };
  },
  parseAnswer(raw, _item, options) {
    return parseShortAnswer(raw, options.stripFullStop);
  },
});
`,
  test: ({ pluginName }) => `import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const task = mod.default;
const item = { id: 'q1', image: '/data/q1.png', question: 'Какой город?', references: ['Москва'], metadata: {} };

describe('${pluginName}', () => {
  it('exports the plugin and its helpers, and the plugin passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['default', 'optionsSchema', 'parseShortAnswer']);
    expect(checkPlugin(task, 'task').ok).toBe(true);
  });

  it('fills the question into the default prompt and passes the image on', () => {
    expect(task.buildRequest(item, task.defaultPrompt, { stripFullStop: true })).toEqual({
      id: 'q1',
      image: '/data/q1.png',
      prompt: 'Какой город?\\nAnswer with a single word or phrase.',
    });
  });

  it.each([
    ['Answer: Paris.', 'Paris'],
    ['  ANSWER :  北京 ', '北京'],
    ['Москва.', 'Москва'],
    ['👍', '👍'],
    ['', ''],
    ['e.g.', 'e.g'], // one trailing full stop only
  ])('parseAnswer(%j) = %j', (raw, expected) => {
    expect(task.parseAnswer?.(raw, item, { stripFullStop: true })).toBe(expected);
  });

  it('keeps the full stop when asked', () => {
    expect(mod.parseShortAnswer('Answer: Paris.', false)).toBe('Paris.');
  });
});
`,
  usage: () => `The example task asks \`{{question}}\` followed by "Answer with a single word or phrase.", sends
the item's image along, and parses the reply by trimming it, dropping a leading \`Answer:\` (any
case) and one trailing full stop (option \`stripFullStop\`). It is scored with \`exact-match\`
unless the run names other metrics.`,
};
