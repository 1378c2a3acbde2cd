import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publishWorkspace, selectPackages, workspacePackages } from '../src/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/publish-local.js', import.meta.url));

describe('workspacePackages', () => {
  it('lists the non-private packages under packages/ and plugins/, never tools/', async () => {
    const names = (await workspacePackages(root)).map((pkg) => pkg.name);
    expect(names).toContain('@vhb/sdk');
    expect(names).toContain('@vhb/metric-cer');
    expect(names).toContain('@vhb/core');
    expect(names).not.toContain('@vhb-tools/registry'); // private, and under tools/
    expect(names).not.toContain('vlmhyperbench'); // the private root
    expect([...names].sort()).toEqual(names);
  });

  it('selects by name, in the order given, and names an unknown package with the choices', async () => {
    const all = await workspacePackages(root);
    expect(selectPackages(all, ['@vhb/metric-cer', '@vhb/sdk']).map((pkg) => pkg.name)).toEqual(['@vhb/metric-cer', '@vhb/sdk']);
    expect(selectPackages(all).length).toBe(all.length);
    expect(() => selectPackages(all, ['@vhb/sdk', '@vhb/metric-nope'])).toThrow(
      /not a publishable workspace package: @vhb\/metric-nope\nchoose from: .*@vhb\/metric-cer/,
    );
  });
});

describe('publishWorkspace', () => {
  it('refuses an unbuilt package before starting anything, and names the fix', async () => {
    const fake = await mkdtemp(join(tmpdir(), 'vhb-publish-fake-'));
    try {
      await mkdir(join(fake, 'plugins/metric-unbuilt'), { recursive: true });
      const manifest = { name: '@vhb/metric-unbuilt', version: '0.1.0', files: ['dist'] };
      await writeFile(join(fake, 'plugins/metric-unbuilt/package.json'), JSON.stringify(manifest));
      await expect(publishWorkspace({ root: fake })).rejects.toThrow(/@vhb\/metric-unbuilt is not built .*run `pnpm build` first/);
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });
});

describe('publish-local (the built CLI)', () => {
  it('publishes a subset to a fresh verdaccio, serves it until SIGINT, then stops', { timeout: 120_000 }, async () => {
    expect(existsSync(cli), `${cli} is missing: build @vhb-tools/registry first`).toBe(true);
    const child = spawn(process.execPath, [cli, '--only', '@vhb/sdk,@vhb/metric-cer'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /registry URL: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (match?.[1]) {
            clearInterval(timer);
            resolve(match[1]);
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`publish-local exited early (${child.exitCode}):\n${output}`));
          }
        }, 100);
      });
      expect(output).toContain(`.npmrc line:  registry=${url}`);
      expect(output).toMatch(/published @vhb\/sdk@0\.1\.0/);
      // the sdk's dependencies come along
      expect(output).toMatch(/published zod@\d+\.\d+\.\d+/);
      expect(output).toMatch(/published undici@\d+\.\d+\.\d+/);
      expect(output).toContain('Published 4 packages');
      expect(output).toContain(`try:          npm install @vhb/metric-cer --registry ${url}`);

      const view = async (pkg: string, field: string) =>
        (await run('npm', ['view', pkg, field, '--registry', url, '--json'], { cwd: root })).stdout.trim();
      expect(JSON.parse(await view('@vhb/metric-cer', 'version'))).toBe('0.1.0');
      // pnpm pack rewrote `workspace:^` into a range a plain npm client can install.
      expect(JSON.parse(await view('@vhb/metric-cer', 'dependencies'))).toEqual({ '@vhb/sdk': '^0.1.0' });
      expect(JSON.parse(await view('@vhb/sdk', 'dependencies'))).toHaveProperty('zod');
      // Only the subset: anything else is a 404 (and, with no uplinks, never fetched from npmjs.org).
      await expect(view('@vhb/metric-anls', 'version')).rejects.toThrow(/E404|404/);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}-/ping`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('with --exit, stops after publishing; an unknown package exits 1 naming it', { timeout: 60_000 }, async () => {
    const failed = await run(process.execPath, [cli, '--exit', '--only', '@vhb/metric-nope']).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect(String((failed as { stderr: string }).stderr)).toContain('not a publishable workspace package: @vhb/metric-nope');
  });
});
