import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('documents every VHB_E_ code the runner raises', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const codes = new Set<string>();
    const sources = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    for (const file of sources) {
      for (const match of readFileSync(join(root, 'src', file), 'utf8').matchAll(/VHB_E_[A-Z_]+/g)) codes.add(match[0]);
    }
    expect(codes).toContain('VHB_E_PLUGIN_LOCK');
    for (const code of codes) expect(readme, code).toContain(`\`${code}\``);
  });
});
