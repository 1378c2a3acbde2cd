import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as runner from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('workers', () => {
  it('are exported from the package', () => {
    for (const name of [
      'buildWorkerPool',
      'discoverGpus',
      'NVIDIA_SMI_ARGS',
      'PlacementError',
      'parseNvidiaSmi',
      'placeStages',
      'resourcesOf',
    ]) {
      expect(runner, name).toHaveProperty(name);
    }
  });

  it('document every VHB_E_ code they raise in the README, under "Workers and placement"', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('\n## Workers and placement\n');
    const dir = join(root, 'src', 'workers');
    const codes = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/VHB_E_[A-Z_]+/g)) codes.add(match[0]);
    }
    expect([...codes].sort()).toEqual(['VHB_E_PLACEMENT_IMPOSSIBLE', 'VHB_E_PLACEMENT_INVALID']);
    for (const code of codes) expect(readme, code).toContain(`| \`${code}\` |`);
  });
});
