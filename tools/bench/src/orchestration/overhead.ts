/**
 * `bench:orchestration`: the runner's own cost per stage. A plan of N RunTasks (default 1,000), one
 * item each, against the test engine answering at once (in its own process), run as `vhb run`
 * runs it. Overhead per stage = (wall time − engine time) / stages, where the engine time is the
 * sum of the items' request latencies (runs one at a time, one request at a time, so they add up).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planStages } from '@vhb/runner';
import { RESULT_FILES, readPredictions } from '@vhb/sdk';
import { startEngineProcess } from '../inference/processes.js';
import { writeBenchProject } from './project.js';
import { runBenchPlan } from './run-plan.js';

const GOAL_MS = 5;

const USAGE = `Usage: node tools/bench/dist/orchestration/overhead.js [--runs N] [--items N] [--parallelism N]

  --runs N         RunTasks in the plan (default 1000)
  --items N        items per run (default 1)
  --parallelism N  runs at once (default 1; above 1 the engine time no longer adds up, the figure is then an upper bound)`;

async function main(): Promise<number> {
  let values: { runs?: string; items?: string; parallelism?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { runs: { type: 'string' }, items: { type: 'string' }, parallelism: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`✖ ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
  const runs = number(values.runs, 1000);
  const items = number(values.items, 1);
  const parallelism = number(values.parallelism, 1);
  for (const [name, value] of Object.entries({ runs, items, parallelism })) {
    if (!Number.isInteger(value) || value < 1) {
      process.stderr.write(`✖ --${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}\n\n${USAGE}\n`);
      return 2;
    }
  }

  const work = await mkdtemp(join(tmpdir(), 'vhb-bench-orch-'));
  const engine = await startEngineProcess();
  try {
    const config = await writeBenchProject({ root: work, engineUrl: engine.baseUrl, runs, items, parallelism, concurrency: 1 });
    process.stdout.write(`orchestration overhead: ${runs} runs × ${items} item(s), parallelism ${parallelism}, engine answering at once\n`);
    for (const pass of ['first run', 'second run (nothing changed)'] as const) {
      const started = performance.now();
      const result = await runBenchPlan(config);
      const wallMs = performance.now() - started;
      const failed = result.outcomes.filter((o) => o.status !== 'ok');
      if (failed.length) throw new Error(`${failed.length} runs did not finish: ${failed[0]?.reason}`);
      let engineMs = 0;
      for (const run of result.plan.runs) {
        for (const record of (await readPredictions(join(run.spec.outDir, RESULT_FILES.predictions))).values()) {
          if (pass === 'first run') engineMs += record.timing?.latencyMs ?? 0;
        }
      }
      const stages = planStages(result.plan).stages.length;
      const perStage = (wallMs - engineMs) / stages;
      const verdict = perStage < GOAL_MS ? 'met' : 'NOT met';
      const reused = result.outcomes.filter((o) => o.reused).length;
      process.stdout.write(
        `  ${pass}: wall ${(wallMs / 1000).toFixed(2)} s (registries + plan ${result.loadMs.toFixed(0)} ms), engine ${(engineMs / 1000).toFixed(2)} s, ` +
          `${stages} stages${reused ? ` (${reused} runs skipped as done)` : ''} → overhead ${perStage.toFixed(2)} ms per stage (goal < ${GOAL_MS} ms: ${verdict})\n`,
      );
    }
    return 0;
  } finally {
    await engine.stop();
    await rm(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
