/**
 * `bench:resume`: a plan killed with SIGKILL at a random point, then restarted, must redo no item
 * it had finished. A plan of N runs × M items against the test engine (in this process, so it sees
 * every request); the runner in a child process is killed the moment the engine receives a
 * randomly chosen request; the items on disk then are the finished ones; after the restart, every
 * request for one of them is an item redone. Prints that count (goal 0) for each kill.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProjectConfig } from '@vhb/core';
import { RESULT_FILES, readPredictions } from '@vhb/sdk';
import { type ChatRequestBody, startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { Random } from '../prng.js';
import { maxTokensOf, runName, writeBenchProject } from './project.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

const USAGE = `Usage: node tools/bench/dist/orchestration/resume.js [--kills N] [--runs N] [--items N] [--seed N]

  --kills N   plans killed and restarted, each at its own random point (default 3)
  --runs N    runs in the plan (default 12), 3 at a time, 4 requests in flight each
  --items N   items per run (default 40)
  --seed N    seed of the kill points (default 1)`;

function textOf(body: ChatRequestBody): string {
  const content = body.messages.at(-1)?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => ('text' in part ? part.text : '')).join('');
}

/** `run/item` of a request: the run from its max_tokens, the item from its question. */
function keyOf(body: ChatRequestBody, runsByTokens: Map<number, string>): string | undefined {
  const run = runsByTokens.get(Number((body as { max_tokens?: number }).max_tokens));
  const item = /question (\d+)/.exec(textOf(body))?.[1];
  return run && item !== undefined ? `${run}/q${item}` : undefined;
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

/** The items each run has answered on disk, as `run/item`. */
async function answeredOnDisk(config: ProjectConfig, runs: number): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < runs; i += 1) {
    const records = await readPredictions(join(config.resultsDir, 'bench', runName(i), RESULT_FILES.predictions));
    for (const record of records.values()) if (record.prediction !== null) done.add(`${runName(i)}/${record.id}`);
  }
  return done;
}

async function killAndResume(engine: TestEngine, killAt: number, runs: number, items: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'vhb-bench-resume-'));
  try {
    const config = await writeBenchProject({ root, engineUrl: engine.baseUrl, runs, items, parallelism: 3, concurrency: 4 });
    const runsByTokens = new Map(Array.from({ length: runs }, (_, i) => [maxTokensOf(i), runName(i)]));
    engine.reset();
    const start = () => spawn(process.execPath, [CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const child = start();
    let received = 0;
    const echo = engine.behaviour.answer;
    engine.behaviour.answer = (body) => {
      received += 1;
      if (received === killAt) child.kill('SIGKILL');
      return echo(body);
    };
    const killed = await exitOf(child);
    engine.behaviour.answer = echo;
    if (killed.signal !== 'SIGKILL') throw new Error(`the plan ended before request ${killAt}: ${killed.output}`);
    const finished = await answeredOnDisk(config, runs);

    engine.reset();
    const restarted = await exitOf(start());
    if (restarted.code !== 0) throw new Error(`the restarted plan failed: ${restarted.output}`);
    let redone = 0;
    for (const request of engine.requests) {
      const key = request.path === '/v1/chat/completions' ? keyOf(request.body as ChatRequestBody, runsByTokens) : undefined;
      if (key && finished.has(key)) redone += 1;
    }
    const complete = await answeredOnDisk(config, runs);
    const total = runs * items;
    const asked = engine.requests.filter((r) => r.path === '/v1/chat/completions').length;
    return (
      `  killed at request ${killAt} of ${total}: ${finished.size} items finished on disk; restart asked ${asked}, ` +
      `${complete.size}/${total} answered in the end; items redone: ${redone}${redone === 0 && complete.size === total ? '' : '  ✖'}`
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        kills: { type: 'string' },
        runs: { type: 'string' },
        items: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`✖ ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const figures = { kills: 3, runs: 12, items: 40, seed: 1 };
  for (const name of Object.keys(figures) as (keyof typeof figures)[]) {
    const text = values[name];
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) {
      process.stderr.write(`✖ --${name} must be a whole number, got ${JSON.stringify(text)}\n\n${USAGE}\n`);
      return 2;
    }
    figures[name] = value;
  }
  const random = new Random(figures.seed);
  const total = figures.runs * figures.items;
  // Answers take 5 ms: a request in flight at the kill is never finished, so never counted as redone.
  const engine = await startTestEngine({ behaviour: { ttftMs: 5, tokenDelayMs: 0 } });
  process.stdout.write(`resume after SIGKILL: ${figures.runs} runs × ${figures.items} items, seed ${figures.seed}\n`);
  let bad = 0;
  try {
    for (let k = 0; k < figures.kills; k += 1) {
      const killAt = 1 + Math.floor(total * (0.1 + 0.8 * random.next()));
      const line = await killAndResume(engine, killAt, figures.runs, figures.items);
      if (line.endsWith('✖')) bad += 1;
      process.stdout.write(`${line}\n`);
    }
  } finally {
    await engine.close();
  }
  process.stdout.write(
    bad ? `✖ ${bad} of ${figures.kills} restarts redid finished items or left items unanswered\n` : '✔ no finished item redone\n',
  );
  return 0;
}

process.exitCode = await main();
