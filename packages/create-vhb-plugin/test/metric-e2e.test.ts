import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PluginHost } from '@vhb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffold } from '../src/index.js';

const run = promisify(execFile);
const sdkDir = resolve(fileURLToPath(import.meta.url), '../../../sdk');
let cwd = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'create-vhb-plugin-e2e-'));
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

// The whole life of a scaffolded metric: npm install, build, test, pack, then load through the host.
describe('a scaffolded metric', () => {
  it('installs, builds, passes its own tests, packs, and loads through PluginHost as a metric', async () => {
    const { dir } = await scaffold({ name: '@acme/metric-contains', kind: 'metric', sdk: `file:${sdkDir}`, cwd });
    const npm = (...args: string[]) => run('npm', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    // --install-links copies the sdk folder in (as a published package would be) instead of linking
    // it, so npm never writes into the workspace's packages/sdk.
    await npm('install', '--prefer-offline', '--no-audit', '--no-fund', '--install-links');
    await npm('run', 'build');
    const tested = await npm('test');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips vitest's colours
    expect(tested.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/Tests\s+15 passed/);
    await npm('pack');
    expect(await readdir(dir)).toContain('acme-metric-contains-0.1.0.tgz');

    const host = new PluginHost({ root: cwd, cacheDir: join(cwd, '.vhb-cache') });
    const loaded = await host.load({ name: 'contains', source: { type: 'local', path: dir }, kind: 'metric' });
    expect(loaded).toMatchObject({ name: 'contains', kind: 'metric', packageName: '@acme/metric-contains', version: '0.1.0' });
    expect(loaded.plugin.name).toBe('contains');
    if (loaded.plugin.kind !== 'metric') throw new Error('not a metric');
    // 'it is paris.' contains 'paris'; 'Москва' is not in 'berlin'.
    expect(loaded.plugin.score('It is PARIS.', ['paris'], { caseSensitive: false }).score).toBe(1);
    expect(loaded.plugin.score('Berlin', ['Москва'], { caseSensitive: false }).score).toBe(0);

    // The bin scores a JSON Lines file: (1 + 0) / 2 = 0.5.
    await writeFile(
      join(cwd, 'preds.jsonl'),
      '{"id":"1","prediction":"It is Paris.","references":["paris"]}\n{"id":"2","prediction":"","references":["x"]}\n',
    );
    const scored = await run('node', [join(dir, 'dist/bin.js'), join(cwd, 'preds.jsonl')]);
    expect(JSON.parse(scored.stdout)).toMatchObject({ metric: 'contains@1', score: 0.5 });
  }, 180_000);
});
