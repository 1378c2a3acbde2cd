import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { ctx, withTempDir } from './helpers.js';

// A full collection before each reading, so what is measured is what the iterator retains.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retained = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('streaming', () => {
  it('reads a 20,000-row labels file (20 MB) without holding the rows', { timeout: 120_000 }, async () => {
    await withTempDir(async (root) => {
      const rows = 20_000;
      await mkdir(join(root, 'img'));
      await writeFile(join(root, 'img', 'a.png'), 'P');
      const out = createWriteStream(join(root, 'labels.csv'));
      out.write('file,label,note\n');
      const pad = 'n'.repeat(1000);
      for (let i = 0; i < rows; i++) if (!out.write(`img/a.png,class-${i % 10},${pad}${i}\n`)) await once(out, 'drain');
      out.end();
      await once(out, 'finish');
      const before = retained();
      let peak = 0;
      let count = 0;
      for await (const item of plugin.items({ root }, parseOptions(plugin, { labels: 'labels.csv' }), ctx)) {
        count += 1;
        if (item.references[0] !== `class-${(count - 1) % 10}`) throw new Error(`row ${count}: ${item.references[0]}`);
        if (count % 5_000 === 0) peak = Math.max(peak, retained() - before);
      }
      expect(count).toBe(rows);
      // Holding the items retains about 28 MB here; streaming retains under 1 MB.
      expect(peak).toBeLessThan(15 * 1024 * 1024);
    });
  });
});
