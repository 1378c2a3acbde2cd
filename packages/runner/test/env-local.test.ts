import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunFile } from '@vhb/sdk';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BinLine, parseBinLine } from '../src/environments/bin-protocol.js';
import { LocalEnvManager, secretMasker } from '../src/index.js';
import { plugins } from './helpers/vqa-project.js';

let work: string;

type Line = { line: string; stream: 'stdout' | 'stderr' };
const collect = () => {
  const lines: Line[] = [];
  return { lines, onLog: (line: string, stream: 'stdout' | 'stderr') => lines.push({ line, stream }) };
};
const node = (script: string) => [process.execPath, '-e', script];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vhb-env-local-test-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('LocalEnvManager: commands as child processes', () => {
  it('streams stdout and stderr line by line and gives the exit code', async () => {
    const manager = new LocalEnvManager();
    const { lines, onLog } = collect();
    const { exitCode } = await manager.run({
      command: node("console.log('one'); console.error('warned'); process.stdout.write('two\\nthree'); process.exitCode = 3"),
      onLog,
    });
    expect(exitCode).toBe(3);
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['one', 'two', 'three']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['warned']);
  });

  it('runs in cwd with the request env over the base env, and masks the env values in every line', async () => {
    const manager = new LocalEnvManager({ baseEnv: { PATH: process.env.PATH, FROM_BASE: 'base-value' } });
    const { lines, onLog } = collect();
    const { exitCode } = await manager.run({
      command: node(
        'console.log(process.cwd()); console.log("key=" + process.env.API_KEY); console.log(process.env.FROM_BASE); console.error("//r.example/:_authToken=tok123")',
      ),
      cwd: work,
      env: { API_KEY: 'sk-local-secret-42' },
      onLog,
    });
    expect(exitCode).toBe(0);
    expect(lines.map((l) => l.line)).toEqual([work, 'key=***', 'base-value', '//r.example/:_authToken=***']);
  });

  it('accepts mounts at their own path and refuses to move a folder (VHB_E_ENV_MOUNT)', async () => {
    const manager = new LocalEnvManager();
    const same = await manager.run({ command: node('0'), mounts: [{ source: work }, { source: work, target: `${work}/` }] });
    expect(same.exitCode).toBe(0);
    await expect(manager.run({ command: node('0'), mounts: [{ source: work, target: '/data' }] })).rejects.toMatchObject({
      code: 'VHB_E_ENV_MOUNT',
      message: expect.stringContaining(`${work} at /data`),
    });
  });

  it('fails with VHB_E_ENV_RUN naming a program that does not exist', async () => {
    const manager = new LocalEnvManager();
    await expect(manager.run({ command: ['vhb-no-such-program-here', '--x'] })).rejects.toMatchObject({
      code: 'VHB_E_ENV_RUN',
      message: expect.stringContaining('cannot start vhb-no-such-program-here'),
    });
  });

  it('stops an interrupted command: VHB_E_ENV_ABORTED, and the process is gone', async () => {
    const manager = new LocalEnvManager({ killGraceMs: 200 });
    const controller = new AbortController();
    let pid = 0;
    const running = manager.run({
      command: node("console.log(process.pid); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"),
      signal: controller.signal,
      onLog: (line) => {
        pid = Number(line);
        controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ code: 'VHB_E_ENV_ABORTED' });
    expect(pid).toBeGreaterThan(0);
    // It ignored SIGTERM, so SIGKILL after the grace period ended it.
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('setup installs packages with npm into a plugin folder that cleanup removes', async () => {
    const pkg = join(work, 'tiny-pkg');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'tiny-pkg', version: '1.2.3', main: 'index.js' }));
    await writeFile(join(pkg, 'index.js'), "module.exports = 'tiny';\n");
    const manager = new LocalEnvManager({ workDir: work });
    const logs = collect();
    const { pluginDir } = await manager.setup({ packages: [`file:${pkg}`], onLog: logs.onLog });
    expect(pluginDir.startsWith(work)).toBe(true);
    const installed = JSON.parse(await readFile(join(pluginDir, 'node_modules/tiny-pkg/package.json'), 'utf8'));
    expect(installed.version).toBe('1.2.3');
    expect(logs.lines.some((l) => /added 1 package/.test(l.line))).toBe(true);
    await manager.cleanup();
    expect(existsSync(pluginDir)).toBe(false);
    await manager.cleanup();
  });

  it('setup fails with VHB_E_ENV_SETUP and npm’s words when a package cannot be installed', async () => {
    const manager = new LocalEnvManager({ workDir: work });
    try {
      await expect(manager.setup({ packages: [`file:${join(work, 'missing-pkg')}`] })).rejects.toMatchObject({
        code: 'VHB_E_ENV_SETUP',
        message: expect.stringMatching(/npm install file:.*missing-pkg failed \(exit \d+\):\n[\s\S]*(ENOENT|Could not install)/),
      });
    } finally {
      await manager.cleanup();
    }
  });
});

describe('secretMasker', () => {
  it('masks each value (longest first) and credential-looking text; short values stay', () => {
    const mask = secretMasker(['abcd', 'abcdef-long', 'on', undefined]);
    expect(mask('x abcdef-long y abcd z on')).toBe('x *** y *** z on');
    expect(mask('Authorization: Bearer zzz999')).toBe('Authorization: Bearer ***');
  });
});

describe("a task's bin with --events, run by the local manager (the protocol the docker environment reads)", () => {
  let engine: TestEngine;
  const KEY = 'sk-bin-events-secret-7';
  const ITEMS = 3;

  beforeAll(async () => {
    expect(existsSync(join(plugins, 'task-vqa', 'dist', 'bin.js')), 'build the plugins first (pnpm --filter @vhb/runner... build)').toBe(
      true,
    );
    engine = await startTestEngine({ apiKey: KEY, behaviour: { ttftMs: 0, tokenDelayMs: 0 } });
  });
  afterAll(async () => {
    await engine?.close();
  });

  async function runFile(name: string): Promise<{ file: string; outDir: string }> {
    const root = join(work, name);
    const data = join(root, 'data');
    await mkdir(data, { recursive: true });
    const rows = Array.from({ length: ITEMS }, (_, i) => JSON.stringify({ id: `q${i}`, question: `question ${i}`, references: ['x'] }));
    await writeFile(join(data, 'items.jsonl'), `${rows.join('\n')}\n`);
    const outDir = join(root, 'out');
    const entry = (plugin: string) => join(plugins, plugin, 'dist', 'index.js');
    const run: RunFile = {
      spec: {
        experiment: 'p',
        run: 'r',
        outDir,
        task: { name: 'vqa' },
        dataset: { name: 'd', root: data, options: { manifest: 'items.jsonl' } },
        model: { name: 'm', model: 'm', modelId: 'test-model', endpoint: engine.baseUrl, options: {} },
        settings: {},
        metrics: [{ name: 'exact-match' }],
        reporters: [{ name: 'json' }],
        groupBy: [],
      },
      entries: {
        dataset: entry('dataset-jsonl'),
        adapter: entry('adapter-openai'),
        metrics: [entry('metric-exact-match')],
        reporters: [entry('reporter-json')],
      },
    };
    const file = join(root, 'run.json');
    await writeFile(file, JSON.stringify(run));
    return { file, outDir };
  }

  it('prints one JSON line per run event, then the summary with the report files', async () => {
    const { file, outDir } = await runFile('events');
    const manager = new LocalEnvManager();
    const { lines, onLog } = collect();
    const { exitCode } = await manager.run({
      command: [process.execPath, join(plugins, 'task-vqa', 'dist', 'bin.js'), '--run', file, '--events'],
      env: { OPENAI_API_KEY: KEY },
      onLog,
    });
    expect(exitCode).toBe(0);
    const stdout = lines.filter((l) => l.stream === 'stdout');
    const said = stdout.map((l) => parseBinLine(l.line));
    // Every stdout line is protocol; nothing went to stderr.
    expect(said.every((s) => s !== undefined)).toBe(true);
    expect(lines.filter((l) => l.stream === 'stderr')).toEqual([]);
    const events = said.flatMap((s) => (s?.vhb === 'event' ? [s.event] : []));
    expect(events.filter((e) => e.type === 'stage').map((e) => (e as { stage: string }).stage)).toEqual([
      'inference',
      'evaluation',
      'report',
    ]);
    const items = events.filter((e) => e.type === 'item') as { id: string; ok: boolean; done: number; total: number }[];
    expect(items.map((e) => e.id).sort()).toEqual(['q0', 'q1', 'q2']);
    expect(items.every((e) => e.ok && e.total === ITEMS)).toBe(true);
    const last = said.at(-1) as Extract<BinLine, { vhb: 'summary' }>;
    expect(last.vhb).toBe('summary');
    expect(last.summary.items).toEqual({ total: ITEMS, succeeded: ITEMS, failed: 0 });
    expect(last.reports).toEqual([{ name: 'json', files: ['report.json'] }]);
    expect(existsSync(join(outDir, 'report.json'))).toBe(true);
    // The key reached the bin (the engine answers 401 without it) and appears in no line.
    expect(engine.requests.filter((r) => r.path === '/v1/chat/completions' && r.status === 200)).toHaveLength(ITEMS);
    expect(lines.some((l) => l.line.includes(KEY))).toBe(false);
  });

  it('reports a failure as an error line with its code and hint (exit 2 for a bad run file)', async () => {
    const file = join(work, 'broken-run.json');
    await writeFile(file, JSON.stringify({ spec: { run: 'r' } }));
    const { lines, onLog } = collect();
    const { exitCode } = await new LocalEnvManager().run({
      command: [process.execPath, join(plugins, 'task-vqa', 'dist', 'bin.js'), '--run', file, '--events'],
      onLog,
    });
    expect(exitCode).toBe(2);
    expect(lines).toHaveLength(1);
    expect(parseBinLine(lines[0]!.line)).toMatchObject({
      vhb: 'error',
      code: 'VHB_E_RUN_SPEC',
      message: expect.stringContaining('is malformed'),
    });
  });

  it('anything else on stdout is not protocol', () => {
    expect(parseBinLine('hello')).toBeUndefined();
    expect(parseBinLine('{"vhb":"event"}')).toBeUndefined();
    expect(parseBinLine('{"vhb":"summary","summary":{"run":"r"},"reports":[]}')).toBeUndefined();
    expect(parseBinLine('{"vhb":"event","event":{"type":"item","id":"a"}}')).toEqual({ vhb: 'event', event: { type: 'item', id: 'a' } });
  });
});
