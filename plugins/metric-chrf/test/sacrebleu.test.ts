import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import chrf from '../src/index.js';

interface Fixture {
  meta: { generator: string; note: string };
  cases: { id: string; prediction: string; references: string[] }[];
  configs: { options: Record<string, unknown>; corpus: number; items: number[] }[];
}

// Scores computed by sacrebleu itself on 250 generated items (punctuation, digits, entities, Cyrillic,
// CJK, emoji, combining marks, Unicode whitespace, 1–3 references), see fixture.meta. chrF needs no
// log or exp, so every value must match exactly.
const fixture: Fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sacrebleu.json'), 'utf8'));

describe('chrf against sacrebleu, to the last bit', () => {
  it.each(fixture.configs.map((config) => [JSON.stringify(config.options), config] as const))('%s', (_, config) => {
    const opts = chrf.options?.parse(config.options) as Parameters<typeof chrf.score>[2];
    const scores = fixture.cases.map(({ prediction, references }) => chrf.score(prediction, references, opts));
    expect(fixture.cases.map(({ id }, k) => [id, scores[k]?.score])).toEqual(fixture.cases.map(({ id }, k) => [id, config.items[k]]));
    expect(chrf.aggregate?.(scores, opts)).toBe(config.corpus);
  });
});
