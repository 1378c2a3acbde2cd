import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/index.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
const sources = readdirSync(join(pkg, 'src'))
  .map((file) => readFileSync(join(pkg, 'src', file), 'utf8'))
  .join('\n');

describe('README', () => {
  it('documents every error code the sources raise', () => {
    const codes = new Set([...sources.matchAll(/VHB_E_[A-Z_]+/g)].map(([code]) => code));
    expect([...codes].sort()).toEqual([...Object.keys(errorCodes), 'VHB_E_METRIC_DETAILS', 'VHB_E_METRIC_NO_REFERENCE'].sort());
    for (const code of [...codes, 'VHB_E_PLUGIN_OPTIONS']) expect(readme).toContain(`\`${code}\``);
  });

  it('has the sections in the usual order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map(([, heading]) => heading);
    expect(headings).toEqual(['What is this?', 'When should I use this?', 'Install', 'Use', 'API', 'Errors', 'Related']);
  });
});
