import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storageErrorCodes } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('documents every VHB_E_ code the package raises, and the code list names them all', () => {
    const codes = new Set<string>();
    for (const file of readdirSync(join(root, 'src'))) {
      for (const match of readFileSync(join(root, 'src', file), 'utf8').matchAll(/VHB_E_[A-Z_]+/g)) codes.add(match[0]);
    }
    expect(codes).toContain('VHB_E_SYNC_HASH');
    for (const code of codes) {
      expect(readme, code).toContain(`\`${code}\``);
      expect(Object.keys(storageErrorCodes), code).toContain(code);
    }
  });

  it('keeps the sections in the usual order', () => {
    const order = ['## What is this?', '## When should I use this?', '## Install', '## Use', '## API', '## Errors', '## Related'];
    const at = order.map((heading) => readme.indexOf(heading));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
