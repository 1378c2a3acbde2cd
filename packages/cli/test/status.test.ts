import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '../src/index.js';
import * as cli from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'project');

async function vhb(project: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false };
  const code = await cli.main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface JsonStatus {
  plan: string;
  tracker: string | null;
  runs: {
    run: string;
    last?: string;
    stages: { id: string; state: string; answered?: number; total?: number; error?: { code: string; message: string }; pid?: number }[];
  }[];
}

async function statusOf(project: string, plan: string): Promise<JsonStatus> {
  const result = await vhb(project, 'status', plan, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as JsonStatus;
}

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'vhb-status-'));
  await cp(fixture, project, { recursive: true });
  await writeFile(
    join(project, 'registries/models/echo-model.yaml'),
    `name: echo-model\nadapter: echo-adapter\noptions: { calls_file: ${JSON.stringify(join(project, 'calls.txt'))} }\n`,
  );
  delete process.env.RUN_MODE;
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('vhb status', () => {
  it('shows every stage pending before a run, and done after it (skipped run: last skipped)', async () => {
    const before = await statusOf(project, 'main');
    expect(before.tracker).toBeNull();
    expect(before.runs.flatMap((r) => r.stages.map((s) => s.state)).every((s) => s === 'pending')).toBe(true);
    expect((await vhb(project, 'status', 'main')).out).toContain('no tracker yet');

    expect((await vhb(project, 'run', 'main')).code).toBe(0);
    const after = await statusOf(project, 'main');
    expect(after.tracker).toBe(join(project, 'results/main/tracker.sqlite'));
    const words = after.runs.find((r) => r.run === 'echo-words');
    expect(words?.last).toBe('ok');
    expect(words?.stages.map((s) => [s.id, s.state])).toEqual([
      ['prepare', 'done'],
      ['inference:echo-words', 'done'],
      ['evaluation:echo-words', 'done'],
      ['report:echo-words', 'done'],
    ]);
    expect(words?.stages[1]).toMatchObject({ answered: 3, total: 4 });
    expect(after.runs.find((r) => r.run === 'offline-words')?.last).toBe('skipped');

    const text = await vhb(project, 'status', 'main');
    expect(text.out).toContain('plan main · 2 runs');
    expect(text.out).toMatch(/echo-words {2}last: ok\n {2}✔ prepare\s+done\n {2}✔ inference:echo-words\s+done \(3\/4, 1 failed\)/);
    expect(text.out).toContain('5 done, 0 partial, 0 running, 0 failed, 0 interrupted, 3 pending');
  });

  it('shows a failed stage with its code and message', async () => {
    await writeFile(
      join(project, 'registries/datasets/gone.yaml'),
      'name: gone\npackage: list-dataset\npath: data\noptions: { file: nowhere.json }\n',
    );
    await writeFile(
      join(project, 'registries/runs/gone-words.yaml'),
      'name: gone-words\ntask: echo\nmodel: echo-model\ndataset: gone\nreports: [text]\n',
    );
    await writeFile(join(project, 'registries/experiments/gone.yaml'), 'name: gone\nruns: [gone-words]\n');
    const run = await vhb(project, 'run', 'gone');
    expect(run.code).toBe(1);
    const status = await statusOf(project, 'gone');
    const stages = status.runs[0]?.stages ?? [];
    expect(status.runs[0]?.last).toBe('failed');
    expect(stages.map((s) => [s.id, s.state])).toEqual([
      ['prepare', 'done'],
      ['inference:gone-words', 'failed'],
      ['evaluation:gone-words', 'pending'],
      ['report:gone-words', 'pending'],
    ]);
    const failed = stages[1];
    expect(failed?.error?.code).toMatch(/^VHB_E_/);
    expect(failed?.error?.message).toContain('nowhere.json');
    const text = await vhb(project, 'status', 'gone');
    expect(text.out).toMatch(new RegExp(`✖ inference:gone-words\\s+failed: ${failed?.error?.code} .*nowhere\\.json`));
    expect(text.out).toContain('1 failed');
  });

  it('shows a stage whose process is gone as interrupted, with what is answered; a run finishes it', async () => {
    expect((await vhb(project, 'run', 'main')).code).toBe(0);
    const predictions = join(project, 'results/main/echo-words/predictions.jsonl');
    const lines = (await readFile(predictions, 'utf8')).trim().split('\n');
    await writeFile(predictions, `${lines[0]}\n`);
    // Another process marks the inference running and dies without ending it (as a killed `vhb run` would).
    const tracker = join(project, 'results/main/tracker.sqlite');
    const script = `import { openTracker } from '@vhb/runner';
const t = await openTracker(${JSON.stringify(tracker)});
t.startRun('main', 'echo-words');
t.startStage('main', 'echo-words', 'inference:echo-words', 'inference');
await t.close();
console.log(process.pid);`;
    const pid = Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..') }).toString(),
    );
    expect(pid).toBeGreaterThan(0);

    const status = await statusOf(project, 'main');
    const words = status.runs.find((r) => r.run === 'echo-words');
    expect(words?.last).toBe('interrupted');
    expect(words?.stages[1]).toMatchObject({ id: 'inference:echo-words', state: 'interrupted', answered: 1, total: 4, pid });
    expect(words?.stages[2]?.state).toBe('pending');
    const text = await vhb(project, 'status', 'main');
    expect(text.out).toMatch(new RegExp(`! inference:echo-words\\s+interrupted \\(1/4\\): its process ${pid} is gone`));

    expect((await vhb(project, 'run', 'main')).code).toBe(0);
    const again = await statusOf(project, 'main');
    expect(again.runs.find((r) => r.run === 'echo-words')?.stages.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
  });
});
