/**
 * The project the orchestration benchmarks run: N runs of one VQA task against the test engine,
 * each with its own `max_tokens` (so each has an inference of its own and the engine can tell
 * the runs' requests apart), this checkout's plugins as local sources, the response cache off.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectConfig } from '@vhb/core';

/** This checkout's plugins folder (the bench runs from tools/bench/dist/orchestration). */
const PLUGINS = fileURLToPath(new URL('../../../../plugins', import.meta.url));

const PACKAGES = [
  ['task-vqa', 'task'],
  ['dataset-jsonl', 'dataset'],
  ['adapter-openai', 'adapter'],
  ['metric-exact-match', 'metric'],
  ['reporter-json', 'reporter'],
] as const;

export interface BenchProjectOptions {
  root: string;
  engineUrl: string;
  runs: number;
  items: number;
  parallelism: number;
  /** Requests in flight per run. */
  concurrency: number;
}

/** `max_tokens` of run `i`: it names the run in the engine's request log. */
export const maxTokensOf = (run: number) => 16 + run;
export const runName = (run: number) => `r${String(run).padStart(5, '0')}`;
export const questionOf = (item: number) => `question ${item}`;

/** Writes the project (registries, dataset) and returns its config. */
export async function writeBenchProject(options: BenchProjectOptions): Promise<ProjectConfig> {
  const { root } = options;
  const files: Record<string, string> = {
    'registries/tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
    'registries/datasets/d.yaml': 'name: d\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n',
    'registries/models/m.yaml': `name: m\nadapter: adapter-openai\nmodel_id: test-model\nendpoint: ${options.engineUrl}\noptions: { concurrency: ${options.concurrency}, stream: false }\n`,
    'registries/metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
    'registries/reports/json.yaml': 'name: json\npackage: reporter-json\n',
    'data/items.jsonl': `${Array.from({ length: options.items }, (_, i) =>
      JSON.stringify({ id: `q${i}`, question: questionOf(i), references: [`echo: ${questionOf(i)}`] }),
    ).join('\n')}\n`,
  };
  for (const [name, kind] of PACKAGES) {
    files[`registries/packages/${name}.yaml`] = `name: ${name}\nkind: ${kind}\nsource: { type: local, path: ${join(PLUGINS, name)} }\n`;
  }
  const names: string[] = [];
  for (let i = 0; i < options.runs; i += 1) {
    const name = runName(i);
    names.push(name);
    files[`registries/runs/${name}.yaml`] =
      `name: ${name}\ntask: vqa\nmodel: m\ndataset: d\nmetrics: [exact-match]\nreports: [json]\n` +
      `generation: { max_tokens: ${maxTokensOf(i)} }\ninference: { cache: false }\n`;
  }
  files['registries/experiments/bench.yaml'] = `name: bench\nparallelism: ${options.parallelism}\nruns: [${names.join(', ')}]\n`;
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return {
    root,
    runMode: 'prod',
    registriesDir: join(root, 'registries'),
    resultsDir: join(root, 'results'),
    cacheDir: join(root, '.vhb-cache'),
  };
}
