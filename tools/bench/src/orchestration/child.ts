// The process `bench:resume` kills: runs the bench project's plan (argv[2] is its config as JSON).
import type { ProjectConfig } from '@vhb/core';
import { runBenchPlan } from './run-plan.js';

const config = JSON.parse(process.argv[2] ?? '{}') as ProjectConfig;
const { outcomes } = await runBenchPlan(config);
const failed = outcomes.filter((o) => o.status !== 'ok');
process.stdout.write(`${outcomes.length - failed.length}/${outcomes.length} runs ok\n`);
process.exitCode = failed.length ? 1 : 0;
