import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '@vhb/sdk';
import { receipt } from './png.js';

/**
 * The fixture summary with its images written to a fresh folder: r-03.png a real PNG, x-1 a text
 * file named .png, i-02 a path where no file is.
 */
export async function fixture(): Promise<{ summary: RunSummary; dir: string; png: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'vhb-reporter-html-'));
  const png = receipt();
  await writeFile(join(dir, 'r-03.png'), png);
  await writeFile(join(dir, 'not-an-image.png'), 'root:x:0:0:root:/root:/bin/bash\n');
  const text = await readFile(new URL('./fixtures/summary.json', import.meta.url), 'utf8');
  const summary = JSON.parse(text.replaceAll('{images}', dir.replaceAll('\\', '\\\\'))) as RunSummary;
  return { summary, dir, png };
}
