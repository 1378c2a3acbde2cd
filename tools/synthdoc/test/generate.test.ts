import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, MANIFEST_FILES } from '../src/index.js';

const committed = fileURLToPath(new URL('../../../datasets/synthdoc', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synthdoc-tool-'));
  await generateDataset(dir);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tools/synthdoc', () => {
  // Images are compared by regenerating in place (`git diff --stat datasets/`): their bytes depend
  // on the canvas build for the platform, the manifests do not.
  it('matches the committed datasets/synthdoc manifests (regenerate with `pnpm --filter @vhb-tools/synthdoc generate`)', async () => {
    for (const file of [...MANIFEST_FILES, 'README.md']) {
      const fresh = await readFile(join(dir, file), 'utf8');
      const stored = await readFile(join(committed, file), 'utf8');
      expect(stored, file).toBe(fresh);
    }
  });
});
