import { readdirSync, readFileSync } from 'node:fs';
import type { PluginContext, RunSummary } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import markdown from '../src/index.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const read = (name: string, file: string) => readFileSync(new URL(`${name}/${file}`, fixtures), 'utf8');
const ctx: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };

describe('markdown render', () => {
  // Each fixture folder holds a hand-built summary.json and the report.md written for it by hand.
  for (const name of readdirSync(fixtures)) {
    it(`renders the ${name} fixture`, async () => {
      const summary = JSON.parse(read(name, 'summary.json')) as RunSummary;
      const files = await markdown.render(summary, {}, ctx);
      expect(files).toEqual([{ path: 'report.md', content: read(name, 'expected.md') }]);
    });
  }

  it('gives the same bytes for the same summary', async () => {
    const summary = JSON.parse(read('full', 'summary.json')) as RunSummary;
    const first = await markdown.render(summary, {}, ctx);
    const second = await markdown.render(structuredClone(summary), {}, ctx);
    expect(second).toEqual(first);
  });
});
