import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunnerEvent, replayEvents } from '@vhb/runner';
import { buildManifest } from '@vhb/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Output } from '../src/index.js';
import * as cli from '../src/index.js';
import { Progress } from '../src/ui/progress.js';

const fixture = join(import.meta.dirname, 'fixtures', 'project');

interface Captured {
  code: number;
  out: string;
  err: string;
  errLines: string[];
}

function capture(): { output: Output; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false }, out, err };
}

async function vhb(project: string, ...args: string[]): Promise<Captured> {
  const { output, out, err } = capture();
  const code = await cli.main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

let project: string;
let callsFile: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'vhb-plan-'));
  await cp(fixture, project, { recursive: true });
  callsFile = join(project, 'calls.txt');
  await writeFile(
    join(project, 'registries/models/echo-model.yaml'),
    `name: echo-model\nadapter: echo-adapter\noptions: { calls_file: ${JSON.stringify(callsFile)} }\n`,
  );
  // echo-words-b differs from echo-words only in what is scored and reported: one inference for both.
  // echo-limited asks two items only: an inference of its own.
  await writeFile(
    join(project, 'registries/runs/echo-words-b.yaml'),
    'name: echo-words-b\ntask: echo\nmodel: echo-model\ndataset: words\nmetrics: [same]\nreports: [text]\n',
  );
  await writeFile(
    join(project, 'registries/runs/echo-limited.yaml'),
    'name: echo-limited\ntask: echo\nmodel: echo-model\ndataset: words\nlimit: 2\nreports: [text]\n',
  );
  await writeFile(join(project, 'registries/experiments/shared.yaml'), 'name: shared\nruns: [echo-words, echo-words-b, echo-limited]\n');
  delete process.env.RUN_MODE;
});

afterEach(async () => {
  delete process.env.RUN_MODE;
  await rm(project, { recursive: true, force: true });
});

interface JsonStage {
  id: string;
  kind: string;
  runs: string[];
  dependsOn: string[];
  status: { state: string; answered?: number; total?: number; failed?: number };
}
interface JsonGraph {
  plan: string;
  stages: JsonStage[];
  runs: Record<string, string[]>;
}

async function graphOf(plan: string): Promise<JsonGraph> {
  const result = await vhb(project, 'plan', plan, '--json');
  expect(result.code, result.err).toBe(0);
  return JSON.parse(result.out) as JsonGraph;
}

const calls = async () => (existsSync(callsFile) ? (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean) : []);

describe('vhb plan', () => {
  it('shares one inference between runs that differ only in metrics, reports or group_by; all pending before a run', async () => {
    const graph = await graphOf('shared');
    expect(graph.stages.map((s) => s.id)).toEqual([
      'prepare',
      'inference:echo-words',
      'evaluation:echo-words',
      'report:echo-words',
      'evaluation:echo-words-b',
      'report:echo-words-b',
      'inference:echo-limited',
      'evaluation:echo-limited',
      'report:echo-limited',
    ]);
    const stage = (id: string) => graph.stages.find((s) => s.id === id) as JsonStage;
    expect(stage('prepare').runs).toEqual(['echo-words', 'echo-words-b', 'echo-limited']);
    expect(stage('inference:echo-words')).toMatchObject({ runs: ['echo-words', 'echo-words-b'], dependsOn: ['prepare'] });
    expect(stage('inference:echo-limited').runs).toEqual(['echo-limited']);
    expect(stage('evaluation:echo-words-b').dependsOn).toEqual(['inference:echo-words']);
    expect(stage('report:echo-words-b').dependsOn).toEqual(['evaluation:echo-words-b']);
    expect(graph.runs['echo-words-b']).toEqual(['prepare', 'inference:echo-words', 'evaluation:echo-words-b', 'report:echo-words-b']);
    expect(graph.stages.every((s) => s.status.state === 'pending')).toBe(true);

    const text = await vhb(project, 'plan', 'shared');
    expect(text.code).toBe(0);
    expect(text.out).toContain('plan shared · 3 runs · 9 stages (2 shared)');
    expect(text.out).toMatch(
      /echo-words-b[^\n]*\n {2}· prepare\s+pending\s+shared with echo-words, echo-limited\n {2}· inference:echo-words\s+pending\s+shared with echo-words\n/,
    );
    expect(text.out).toContain('0 done, 0 partial, 9 pending');
  });

  it('shows every stage done after a run, the shared inference asked once, and a dataset sync as one stage', async () => {
    const run = await vhb(project, 'run', 'shared');
    expect(run.code, run.err).toBe(0);
    // echo-words-b's answers came from the response cache: a, b and c were asked once (d failed, so it is asked again).
    const asked = await calls();
    expect(asked.filter((id) => id === 'a')).toHaveLength(1);
    expect(asked.filter((id) => id === 'c')).toHaveLength(1);
    const graph = await graphOf('shared');
    const status = (id: string) => graph.stages.find((s) => s.id === id)?.status;
    expect(status('inference:echo-words')).toEqual({ state: 'done', answered: 3, total: 4, failed: 1 });
    expect(status('inference:echo-limited')).toEqual({ state: 'done', answered: 2, total: 2, failed: 0 });
    for (const s of graph.stages) expect(s.status.state, s.id).toBe('done');
    const text = await vhb(project, 'plan', 'shared');
    expect(text.out).toMatch(/✔ inference:echo-words\s+done \(3\/4, 1 failed\)/);
    expect(text.out).toContain('9 done, 0 partial, 0 pending');
  });

  it('shows a half-done inference as partial, and what depends on it as pending; a run finishes it', async () => {
    expect((await vhb(project, 'run', 'shared')).code).toBe(0);
    const predictions = join(project, 'results/shared/echo-limited/predictions.jsonl');
    const lines = (await readFile(predictions, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    await writeFile(predictions, `${lines[0]}\n`);

    let graph = await graphOf('shared');
    const status = (id: string) => graph.stages.find((s) => s.id === id)?.status;
    // The item count comes from the plan's events.jsonl.
    expect(status('inference:echo-limited')).toEqual({ state: 'partial', answered: 1, total: 2, failed: 0 });
    expect(status('evaluation:echo-limited')).toEqual({ state: 'pending' });
    expect(status('report:echo-limited')).toEqual({ state: 'pending' });
    expect(status('inference:echo-words')?.state).toBe('done');
    const text = await vhb(project, 'plan', 'shared');
    expect(text.out).toMatch(/◐ inference:echo-limited\s+partial \(1\/2\)/);
    expect(text.out).toContain('6 done, 1 partial, 2 pending');

    // Without the event log the count is unknown: only what is answered.
    await rm(join(project, 'results/shared/events.jsonl'));
    graph = await graphOf('shared');
    expect(status('inference:echo-limited')).toEqual({ state: 'partial', answered: 1, failed: 0 });
    expect((await vhb(project, 'plan', 'shared')).out).toMatch(/partial \(1 answered\)/);

    expect((await vhb(project, 'run', 'shared')).code).toBe(0);
    graph = await graphOf('shared');
    for (const s of graph.stages) expect(s.status.state, s.id).toBe('done');
  });

  it('marks a synced dataset as one stage for every run that uses it', async () => {
    await cp(join(project, 'data'), join(project, 'store'), { recursive: true });
    await buildManifest(join(project, 'store'), { name: 'words' });
    await writeFile(
      join(project, 'registries/datasets/words.yaml'),
      'name: words\npackage: list-dataset\npath: synced\noptions: { file: items.json }\nsync: { from: store }\n',
    );
    let graph = await graphOf('shared');
    const sync = () => graph.stages.find((s) => s.id === 'sync:words') as JsonStage;
    expect(sync().runs).toEqual(['echo-words', 'echo-words-b', 'echo-limited']);
    expect(sync().status.state).toBe('pending');
    expect(graph.stages.find((s) => s.id === 'inference:echo-limited')?.dependsOn).toEqual(['sync:words', 'prepare']);
    expect((await vhb(project, 'run', 'shared')).code).toBe(0);
    graph = await graphOf('shared');
    expect(sync().status.state).toBe('done');
  });
});

describe('events.jsonl', () => {
  it("replays a run into the progress renderer: the same lines as the live run's", async () => {
    const live = await vhb(project, 'run', 'main');
    expect(live.code, live.err).toBe(0);
    const events = await replayEvents(join(project, 'results/main/events.jsonl'));
    // Stage and run events, each with its time and run; no debug logs.
    expect(events.every((e) => typeof e.t === 'string' && !Number.isNaN(Date.parse(e.t)))).toBe(true);
    expect(events.map((e) => e.type)).toContain('stage-start');
    expect(events.filter((e) => e.type === 'stage-end' && e.run === 'echo-words').map((e) => (e as { stage: string }).stage)).toEqual([
      'inference',
      'evaluation',
      'report',
    ]);
    const items = events.filter((e) => e.type === 'run-event' && e.event.type === 'item' && e.run === 'echo-words');
    expect(items).toHaveLength(4);
    expect(events.some((e) => e.type === 'run-event' && e.event.type === 'log' && e.event.level === 'debug')).toBe(false);
    const times = events.map((e) => Date.parse(e.t));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const { output, err } = capture();
    const progress = new Progress(output, ['echo-words', 'offline-words']);
    // The renderer reads the clock: during the replay, the clock reads each event's time.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const event of events) {
        vi.setSystemTime(new Date(event.t));
        if (isRunnerEvent(event)) progress.handle(event);
      }
    } finally {
      vi.useRealTimers();
    }
    progress.stop();
    // The rate (items per second) is worked out from the clock when a line is drawn, a millisecond off the
    // event's time: the one part a replay cannot repeat to the digit.
    const norm = (lines: string[]) => lines.map((l) => l.replace(/\d+\.\d img\/s/g, ''));
    expect(norm(err)).toEqual(norm(live.errLines.slice(1)));
    expect(err.some((l) => l.includes('✔ echo-words') && l.includes('4/4'))).toBe(true);

    // A second invocation appends to the same file.
    await vhb(project, 'run', 'main');
    const again = await replayEvents(join(project, 'results/main/events.jsonl'));
    expect(again.slice(0, events.length)).toEqual(events);
    expect(again.filter((e) => e.type === 'run-start')).toHaveLength(4);
  });
});
