import type { KindTemplate } from './types.js';

export const metric: KindTemplate = {
  kind: 'metric',
  description: 'Contains-answer: 1 when the prediction contains one of the references (after whitespace and case normalisation), else 0',
  contract:
    '`export default defineMetric({ name, version, description, algorithmVersion, direction, options?, score(prediction, references, options), aggregate?(scores, options) })`: `score` is pure and synchronous and returns `{ score, details? }`; `aggregate` defaults to the mean of the item scores.',
  index: ({ pluginName }) => `import { defineMetric, noReferenceError, z } from '@vhb/sdk';

/** Options, validated by the host before the metric sees them. */
export const optionsSchema = z
  .object({
    /** Compare case-sensitively; by default both sides are lowercased. */
    caseSensitive: z.boolean().default(false),
  })
  .strict();
export type ContainsAnswerOptions = z.infer<typeof optionsSchema>;

/** Trims, collapses every run of whitespace to one space and, unless caseSensitive, lowercases. No Unicode normalisation. */
export function normalise(text: string, caseSensitive: boolean): string {
  const collapsed = text.trim().replace(/\\s+/gu, ' ');
  return caseSensitive ? collapsed : collapsed.toLowerCase();
}

/** 1 when the normalised prediction contains a non-empty normalised reference, else 0. */
export function containsAnswer(prediction: string, references: readonly string[], caseSensitive = false): number {
  const answer = normalise(prediction, caseSensitive);
  return references.some((reference) => {
    const wanted = normalise(reference, caseSensitive);
    return wanted.length > 0 && answer.includes(wanted);
  })
    ? 1
    : 0;
}

export default defineMetric<ContainsAnswerOptions>({
  name: '${pluginName}',
  version: '0.1.0',
  description: 'Contains-answer: 1 when the prediction contains one of the references, else 0',
  algorithmVersion: 1,
  direction: 'higher',
  options: optionsSchema,
  score(prediction, references, options) {
    if (references.length === 0) throw noReferenceError('${pluginName}');
    return { score: containsAnswer(prediction, references, options.caseSensitive) };
  },
  aggregate(scores) {
    return scores.length === 0 ? 0 : scores.reduce((sum, item) => sum + item.score, 0) / scores.length;
  },
});
`,
  test: ({ pluginName }) => `import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

const metric = mod.default;
const insensitive = { caseSensitive: false };

describe('${pluginName}', () => {
  it('exports the plugin and its helpers, and the plugin passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual(['containsAnswer', 'default', 'normalise', 'optionsSchema']);
    expect(checkPlugin(metric, 'metric').ok).toBe(true);
  });

  // Worked by hand: normalise both sides (trim, whitespace runs -> ' ', lowercase), then substring test.
  it.each([
    ['The answer is Paris.', ['paris'], 1], // 'the answer is paris.' contains 'paris'
    ['Ответ: МОСКВА', ['москва'], 1], // Cyrillic lowercases: 'ответ: москва' contains 'москва'
    ['答案是北京', ['北京'], 1], // CJK has no case; plain substring
    ['👍 yes', ['YES'], 1], // emoji kept; 'yes' found
    ['New   York\\n', [' new york '], 1], // whitespace runs collapse to one space, ends trimmed
    ['Berlin', ['Paris', 'berlin'], 1], // any of several references
    ['Berlin', ['Paris', 'Rome'], 0],
    ['', ['paris'], 0], // empty prediction contains no non-empty reference
    ['anything', [''], 0], // an empty reference never matches
    ['café', ['cafe\\u0301'], 0], // no Unicode normalisation: precomposed é is not e + U+0301
  ])('score(%j, %j) = %d', (prediction, references, expected) => {
    expect(metric.score(prediction, references, insensitive)).toEqual({ score: expected });
  });

  it('compares case-sensitively when asked', () => {
    expect(metric.score('The answer is Paris.', ['paris'], { caseSensitive: true }).score).toBe(0);
    expect(metric.score('The answer is Paris.', ['Paris'], { caseSensitive: true }).score).toBe(1);
  });

  it('refuses an item without references', () => {
    expect(() => metric.score('x', [], insensitive)).toThrow(/VHB_E_METRIC_NO_REFERENCE|at least one reference/);
  });

  it('defaults caseSensitive to false and rejects unknown options', () => {
    expect(mod.optionsSchema.parse({})).toEqual({ caseSensitive: false });
    expect(mod.optionsSchema.safeParse({ typo: 1 }).success).toBe(false);
  });

  it('aggregates to the mean: (1 + 0 + 1 + 1) / 4 = 0.75', () => {
    expect(metric.aggregate?.([{ score: 1 }, { score: 0 }, { score: 1 }, { score: 1 }], insensitive)).toBe(0.75);
  });
});
`,
  usage: ({ pluginName }) => `The example metric scores 1 when the prediction, after trimming, collapsing whitespace runs to
one space and lowercasing (option \`caseSensitive: true\` keeps case), contains one of the
references as a substring; empty references never match and no Unicode normalisation is done.
The run's figure is the mean. Replace \`containsAnswer\` with your own logic, bump
\`algorithmVersion\` whenever a number could change, and keep the test honest: expected values
worked out by hand.

Score a JSON Lines file without the rest of VLMHyperBench:

\`\`\`sh
npm run build
echo '{"id":"1","prediction":"It is Paris.","references":["paris"]}' | node dist/bin.js
# once published, from anywhere: npx -p <this package> vhb-metric-${pluginName} preds.jsonl
\`\`\``,
};
