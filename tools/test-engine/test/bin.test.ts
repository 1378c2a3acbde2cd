import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type TestEngine } from '../src/index.js';
import { chat, send, userMessage } from './helpers.js';

const root = join(import.meta.dirname, '..');
let out: string;
let bin: string;

// Compile the sources to a temporary folder, so the test runs the bin as built from what is here now.
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'vhb-test-engine-'));
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), [
    '-p',
    join(root, 'tsconfig.json'),
    '--outDir',
    out,
    '--declaration',
    'false',
    '--sourceMap',
    'false',
  ]);
  bin = join(out, 'bin.js');
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; line: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', () => reject(new Error('the bin exited before printing its URL')));
  });
  line.catch(() => undefined); // awaited only where the URL is expected
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, line, exit };
}

describe('vhb-test-engine bin', () => {
  it('prints its URL, serves, and exits 0 on SIGTERM', async () => {
    const { child, line, exit } = start(['--port', '0', '--api-key-env', 'ENGINE_KEY', '--model', 'm1'], { ENGINE_KEY: 'sk-bin' });
    const printed = await line;
    const match = /^test engine listening on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(printed);
    expect(match, printed).not.toBeNull();
    const url = match?.[1] as string;
    expect((await chat(url, userMessage('from the bin'))).status).toBe(401);
    const reply = await chat(url, userMessage('from the bin'), { authorization: 'Bearer sk-bin' });
    expect(reply.json()).toMatchObject({ model: 'm1', choices: [{ message: { content: 'echo: from the bin' } }] });
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('exits 2 with a message on a bad flag', async () => {
    const { child, exit } = start(['--ttft-ms', 'soon']);
    let stderr = '';
    child.stderr?.on('data', (bytes) => {
      stderr += bytes;
    });
    expect(await exit).toBe(2);
    expect(stderr).toContain('--ttft-ms must be a number');
  });
});

describe('main', () => {
  it('starts an engine from flags', async () => {
    const lines: string[] = [];
    const engine = (await main(['--port', '0', '--ttft-ms', '5', '--token-delay-ms', '2'], {}, (l) => lines.push(l))) as TestEngine;
    try {
      expect(lines).toEqual([`test engine listening on ${engine.baseUrl}`]);
      expect(engine.behaviour).toMatchObject({ ttftMs: 5, tokenDelayMs: 2 });
      expect((await send(engine.url, '/v1/models', 'GET')).json()).toMatchObject({ data: [{ id: 'test-model' }] });
      expect(engine.requests).toEqual([]); // the bin records nothing
    } finally {
      await engine.close();
    }
  });

  it('--log-first-content: one JSON line per streamed answer, written when its first content chunk goes out', async () => {
    const lines: string[] = [];
    const engine = (await main(['--port', '0', '--ttft-ms', '30', '--log-first-content'], {}, (l) => lines.push(l))) as TestEngine;
    try {
      const sent = performance.now();
      const reply = await chat(engine.url, { ...userMessage('first words'), stream: true });
      expect(reply.status).toBe(200);
      // A non-streamed answer has no first chunk to report.
      expect((await chat(engine.url, userMessage('plain'))).status).toBe(200);
      const logged = lines.slice(1).map((line) => JSON.parse(line));
      expect(logged).toEqual([{ firstContent: { prompt: 'first words', dueMs: 30, lateMs: expect.any(Number) } }]);
      // Never early; and it was written before the client read the whole answer.
      expect(logged[0].firstContent.lateMs).toBeGreaterThanOrEqual(0);
      expect(logged[0].firstContent.lateMs).toBeLessThan(performance.now() - sent);
    } finally {
      await engine.close();
    }
  });

  it('refuses an --api-key-env naming an unset variable, and prints usage for --help', async () => {
    await expect(main(['--api-key-env', 'NOPE_UNSET'], {})).rejects.toThrow(/NOPE_UNSET is not set/);
    await expect(main(['--bogus'], {})).rejects.toThrow(/bogus/);
    const lines: string[] = [];
    expect(await main(['--help'], {}, (l) => lines.push(l))).toBeUndefined();
    expect(lines[0]).toMatch(/^Usage: vhb-test-engine/);
  });
});
