import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { ctx, failure, withTempDir } from './helpers.js';

// A full collection before each reading, so what is measured is what the iterator retains, not
// garbage a lazy collector has not reached yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retained = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('streaming', () => {
  it('yields the rows before a bad row before failing on it', async () => {
    await withTempDir(async (root) => {
      await writeFile(join(root, 'manifest.csv'), 'id,references\na,x\nb,y\nc,z,extra\n');
      const seen: string[] = [];
      const error = await failure(
        (async () => {
          for await (const item of plugin.items({ root }, parseOptions(plugin, {}), ctx)) seen.push(item.id);
        })(),
      );
      expect(seen).toEqual(['a', 'b']);
      expect(error.message).toMatch(/line 4/);
    });
  });

  it('reads 300,000 rows (about 30 MB) without holding them', { timeout: 120_000 }, async () => {
    await withTempDir(async (root) => {
      const rows = 300_000;
      const out = createWriteStream(join(root, 'manifest.csv'));
      out.write('id,question,references,doc_type,language\n');
      const pad = 'x'.repeat(60);
      for (let i = 0; i < rows; i++) {
        if (!out.write(`row-${i},What is written here ${pad}?,"[""answer ${i}"", ""alt ${pad}""]",receipt,en\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      const before = retained();
      let peak = 0;
      let count = 0;
      let last = '';
      for await (const item of plugin.items({ root }, parseOptions(plugin, {}), ctx)) {
        count += 1;
        last = item.id;
        if (count % 50_000 === 0) peak = Math.max(peak, retained() - before);
      }
      expect(count).toBe(rows);
      expect(last).toBe(`row-${rows - 1}`);
      // Holding every item retains about 150 MB here; streaming retains under 1 MB.
      expect(peak).toBeLessThan(30 * 1024 * 1024);
    });
  });
});
