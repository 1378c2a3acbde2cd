import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
// Codes raised through @vhb/sdk helpers, which src/ names instead of the code itself.
const helperCodes: Record<string, string> = { noReferenceError: 'VHB_E_METRIC_NO_REFERENCE' };

describe('errors', () => {
  it('documents in the README every code src/ raises, and the options code the host raises', () => {
    const codes = new Set(['VHB_E_PLUGIN_OPTIONS']);
    for (const file of readdirSync(join(pkg, 'src'))) {
      const source = readFileSync(join(pkg, 'src', file), 'utf8');
      for (const [code] of source.matchAll(/VHB_E_[A-Z_]+/g)) codes.add(code);
      for (const [helper, code] of Object.entries(helperCodes)) if (source.includes(`${helper}(`)) codes.add(code);
    }
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    const errors = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## Related'));
    expect([...codes].filter((code) => !errors.includes(`\`${code}\``))).toEqual([]);
    expect(codes.has('VHB_E_METRIC_NO_REFERENCE')).toBe(true);
  });
});
