#!/usr/bin/env node
/**
 * `bench:resolve`: times warm resolution of a plan of N plugins (default 10: metrics, a task, a
 * dataset, an adapter and a reporter) — `RegistryManager.load` + `planExperiment` + loading every
 * plugin through `PluginHost` with the plugin cache already filled — against the goal of < 200 ms.
 * Each repetition is a new Node process, as each `vhb run` is, so no import is served from memory;
 * what is timed starts after `@vhb/core` and `@vhb/runner` are imported.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { percentiles } from '@vhb/sdk';

const exec = promisify(execFile);

/** The goal for warm resolution of a 10-plugin plan. */
export const RESOLVE_GOAL_MS = 200;

export interface ResolveOptions {
  /** Plugins in the plan, 5 or more: a task, a dataset, an adapter, a reporter and the rest metrics. */
  plugins: number;
  /** Warm repetitions. */
  repetitions: number;
  /** `npm`: every plugin published to a throwaway verdaccio and installed into the cache; `local`: folders used in place. */
  source: 'npm' | 'local';
}

/** What one resolution (one child process) measured, in ms. */
export interface ResolveSample {
  registryMs: number;
  planMs: number;
  pluginsMs: number;
  totalMs: number;
  /** Plugins the host served without installing anything. */
  cached: number;
  loaded: number;
}

export interface ResolveResult {
  options: ResolveOptions;
  cold: ResolveSample;
  warm: ResolveSample[];
  medianMs: number;
  p90Ms: number;
  /** npm only: a cold install and load of one plugin (`bench-m0`) into an empty cache, in ms. */
  coldOneMs?: number;
}

const KINDS = ['task', 'dataset', 'adapter', 'reporter'] as const;

const CODE: Record<(typeof KINDS)[number], string> = {
  task: `defineTask({ name: 'bench-task', version: '1.0.0', description: 'Bench task',
  defaultPrompt: { id: 'p', user: '{{question}}' }, defaultMetrics: [],
  buildRequest: (item) => ({ id: item.id, prompt: item.question ?? '' }) })`,
  dataset: `defineDataset({ name: 'bench-dataset', version: '1.0.0', description: 'Bench dataset',
  async *items() { yield { id: 'a', question: 'q', references: ['q'], metadata: {} }; } })`,
  adapter: `defineAdapter({ name: 'bench-adapter', version: '1.0.0', description: 'Bench adapter',
  async open() { return { concurrency: 1, async generate(r) { return { text: r.prompt, timing: { latencyMs: 0, ttftMs: null, tpotMs: null, promptTokens: null, completionTokens: null, peakMemoryMb: null } }; }, async close() {} }; } })`,
  reporter: `defineReporter({ name: 'bench-reporter', version: '1.0.0', description: 'Bench reporter', render: () => [] })`,
};

function metricCode(index: number): string {
  return `defineMetric({ name: 'bench-m${index}', version: '1.0.0', description: 'Bench metric ${index}',
  algorithmVersion: 1, direction: 'higher',
  score(prediction, references) { return { score: references.includes(prediction) ? 1 : 0 }; } })`;
}

function define(kind: string): string {
  return `define${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

/** The folder of an installed workspace package, from its main entry. */
function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return dirname(dirname(realpathSync(require.resolve(name))));
}

/** Writes the plugin packages and the registries of a plan that needs all of them. */
async function writeProject(project: string, options: ResolveOptions, registryUrl: string | undefined): Promise<string[]> {
  const metrics = Math.max(1, options.plugins - KINDS.length);
  const plugins = [
    ...KINDS.map((kind) => ({ name: `bench-${kind}`, kind, code: CODE[kind] })),
    ...Array.from({ length: metrics }, (_, i) => ({ name: `bench-m${i}`, kind: 'metric', code: metricCode(i) })),
  ];
  const folders: string[] = [];
  const files: Record<string, string> = {
    'tasks/t.yaml': `name: t\npackage: bench-task\nsupported_metrics: [${plugins.filter((p) => p.kind === 'metric').map((p) => p.name)}]\n`,
    'datasets/d.yaml': 'name: d\npackage: bench-dataset\npath: data\n',
    'models/m.yaml': 'name: m\nadapter: bench-adapter\n',
    'reports/r.yaml': 'name: r\npackage: bench-reporter\n',
    'runs/run.yaml': 'name: run\ntask: t\nmodel: m\ndataset: d\n',
    'experiments/bench.yaml': 'name: bench\nparallelism: 1\nruns: [run]\nreports: [r]\n',
  };
  for (const plugin of plugins) {
    const dir = join(project, 'plugins', plugin.name);
    await mkdir(dir, { recursive: true });
    const pkg = {
      name: `@bench/${plugin.name}`,
      version: '1.0.0',
      type: 'module',
      license: 'MIT',
      exports: { '.': { default: './index.js' } },
      files: ['index.js'],
      vhb: { kind: plugin.kind, contract: 1 },
      dependencies: { '@vhb/sdk': '^0.1.0' },
    };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    await writeFile(join(dir, 'index.js'), `import { ${define(plugin.kind)} } from '@vhb/sdk';\nexport default ${plugin.code};\n`);
    folders.push(dir);
    const source = registryUrl
      ? `{ type: npm, package: "@bench/${plugin.name}", version: "^1.0.0" }`
      : `{ type: local, path: plugins/${plugin.name} }`;
    files[`packages/${plugin.name}.yaml`] = `name: ${plugin.name}\nkind: ${plugin.kind}\nsource: ${source}\n`;
    if (plugin.kind === 'metric') files[`metrics/${plugin.name}.yaml`] = `name: ${plugin.name}\npackage: ${plugin.name}\n`;
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(project, 'registries', file)), { recursive: true });
    await writeFile(join(project, 'registries', file), text);
  }
  await mkdir(join(project, 'data'), { recursive: true });
  // Local plugins import @vhb/sdk from the project's node_modules, as in a real project.
  await mkdir(join(project, 'node_modules/@vhb'), { recursive: true });
  await symlink(packageDir('@vhb/sdk'), join(project, 'node_modules/@vhb/sdk'), 'dir');
  return folders;
}

/** The script each repetition runs in a new process: imports first, then times the resolution. */
function childScript(): string {
  const core = pathToFileURL(join(packageDir('@vhb/core'), 'dist/index.js')).href;
  const runner = pathToFileURL(join(packageDir('@vhb/runner'), 'dist/index.js')).href;
  return `import { PluginHost, RegistryManager } from ${JSON.stringify(core)};
import { loadPackages, planExperiment } from ${JSON.stringify(runner)};
const [root, cacheDir, npmRegistry] = process.argv.slice(2);
const config = { root, runMode: 'prod', registriesDir: root + '/registries', resultsDir: root + '/results', cacheDir, npmRegistry: npmRegistry || undefined };
const t0 = performance.now();
const registry = await RegistryManager.load({ root, registriesDir: config.registriesDir, runMode: 'prod' });
const t1 = performance.now();
const plan = planExperiment(registry, config, 'bench');
const t2 = performance.now();
const host = new PluginHost({ root, cacheDir, npmRegistry: config.npmRegistry });
const results = [...(await loadPackages(registry, host, plan.runs)).results.values()];
const t3 = performance.now();
const failed = results.filter((r) => !r.ok);
if (failed.length > 0) { console.error(failed.map((r) => r.error.message).join('\\n')); process.exit(1); }
console.log(JSON.stringify({ registryMs: t1 - t0, planMs: t2 - t1, pluginsMs: t3 - t2, totalMs: t3 - t0,
  cached: results.filter((r) => r.loaded.cached).length, loaded: results.length }));
`;
}

/** The script that times a cold install and load of one npm plugin alone, into an empty cache. */
function oneChildScript(): string {
  const core = pathToFileURL(join(packageDir('@vhb/core'), 'dist/index.js')).href;
  return `import { PluginHost } from ${JSON.stringify(core)};
const [root, cacheDir, npmRegistry] = process.argv.slice(2);
const t0 = performance.now();
const host = new PluginHost({ root, cacheDir, npmRegistry });
await host.load({ name: 'bench-m0', kind: 'metric', source: { type: 'npm', package: '@bench/bench-m0', version: '^1.0.0' } });
console.log(JSON.stringify({ totalMs: performance.now() - t0 }));
`;
}

async function resolveOnce(script: string, project: string, cacheDir: string, registryUrl: string | undefined): Promise<ResolveSample> {
  const { stdout } = await exec(process.execPath, [script, project, cacheDir, registryUrl ?? ''], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ResolveSample;
}

/** Publishes the SDK, its zod and every plugin to the throwaway registry (no uplinks). */
async function publishAll(registry: { publish(tarball: string): Promise<void> }, folders: string[], work: string): Promise<void> {
  const pack = async (tool: 'npm' | 'pnpm', dir: string): Promise<string> => {
    const args = tool === 'npm' ? ['pack', dir, '--ignore-scripts', '--pack-destination', work] : ['pack', '--pack-destination', work];
    const { stdout } = await exec(tool, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const name = stdout.trim().split('\n').pop()!.trim();
    return name.startsWith('/') ? name : join(work, name);
  };
  const { publishSdk } = await import('@vhb-tools/registry');
  await publishSdk(registry, packageDir('@vhb/sdk'), work);
  for (const folder of folders) await registry.publish(await pack('npm', folder));
}

/** Runs the benchmark: one cold resolution (empty cache) as the baseline, then `repetitions` warm ones. */
export async function runResolveBench(options: ResolveOptions): Promise<ResolveResult> {
  const work = await mkdtemp(join(tmpdir(), 'vhb-bench-resolve-'));
  let stop: (() => Promise<void>) | undefined;
  try {
    let registryUrl: string | undefined;
    const project = join(work, 'project');
    await mkdir(project, { recursive: true });
    if (options.source === 'npm') {
      const { startVerdaccio } = await import('@vhb-tools/registry');
      const registry = await startVerdaccio();
      stop = () => registry.stop();
      registryUrl = registry.url;
      const folders = await writeProject(project, options, registryUrl);
      await publishAll(registry, folders, work);
    } else {
      await writeProject(project, options, undefined);
    }
    const script = join(work, 'resolve-child.mjs');
    await writeFile(script, childScript());
    const cacheDir = join(work, 'cache');
    let coldOneMs: number | undefined;
    if (registryUrl) {
      const one = join(work, 'resolve-one.mjs');
      await writeFile(one, oneChildScript());
      coldOneMs = (await resolveOnce(one, project, join(work, 'cache-one'), registryUrl)).totalMs;
    }
    const cold = await resolveOnce(script, project, cacheDir, registryUrl);
    const warm: ResolveSample[] = [];
    for (let i = 0; i < options.repetitions; i += 1) warm.push(await resolveOnce(script, project, cacheDir, registryUrl));
    // percentiles() selects from unsorted samples (percentile() expects them sorted).
    const [medianMs, p90Ms] = percentiles(
      warm.map((s) => s.totalMs),
      [50, 90],
    ) as [number, number];
    return { options, cold, warm, medianMs, p90Ms, ...(coldOneMs === undefined ? {} : { coldOneMs }) };
  } finally {
    await stop?.();
    await rm(work, { recursive: true, force: true });
  }
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** The report: baseline, warm median and p90, and the goal. */
export function formatResolve(result: ResolveResult): string {
  const { options, cold, warm, medianMs, p90Ms, coldOneMs } = result;
  const median = (pick: (s: ResolveSample) => number): number => percentiles(warm.map(pick), [50])[0] as number;
  const where = options.source === 'npm' ? 'npm sources installed from a throwaway verdaccio' : 'local sources used in place';
  const metrics = Math.max(1, options.plugins - KINDS.length);
  return [
    `VLMHyperBench resolution benchmark: ${cold.loaded}-plugin plan (${metrics} metrics, a task, a dataset, an adapter, a reporter), ${where}, N = ${warm.length}`,
    `node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs; each resolution is a new process; timed: RegistryManager.load + planExperiment + PluginHost loads`,
    ...(coldOneMs === undefined
      ? []
      : [`cold one  one plugin alone, installed from verdaccio into an empty cache and loaded: ${ms(coldOneMs)}`]),
    `baseline  cold (empty cache): ${ms(cold.totalMs)} (registries ${ms(cold.registryMs)}, plan ${ms(cold.planMs)}, plugins ${ms(cold.pluginsMs)}; ${cold.loaded - cold.cached} installed)`,
    `warm      median ${ms(medianMs)}, p90 ${ms(p90Ms)} (median registries ${ms(median((s) => s.registryMs))}, plan ${ms(median((s) => s.planMs))}, plugins ${ms(median((s) => s.pluginsMs))}; ${warm[0]?.cached ?? 0}/${warm[0]?.loaded ?? 0} from the cache)`,
    `goal      warm median < ${RESOLVE_GOAL_MS} ms: ${medianMs < RESOLVE_GOAL_MS ? 'met' : 'NOT met'}`,
    '',
  ].join('\n');
}

export const RESOLVE_USAGE = `Usage: bench:resolve [--plugins N] [--repetitions N] [--source npm|local]

  --plugins N      plugins in the plan, at least 5 (default 10: 6 metrics, task, dataset, adapter, reporter)
  --repetitions N  warm resolutions to time (default 20)
  --source S       npm: publish to a throwaway verdaccio and install into the cache (default); local: folders in place
`;

/** Parses the arguments, runs the benchmark and prints the report; returns the exit status. */
export async function resolveMain(
  args: string[],
  stdout: { write(text: string): unknown } = process.stdout,
  stderr: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  const options: ResolveOptions = { plugins: 10, repetitions: 20, source: 'npm' };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--help' || arg === '-h') {
      stdout.write(RESOLVE_USAGE);
      return 0;
    }
    if ((arg === '--plugins' || arg === '--repetitions') && value !== undefined && /^\d+$/.test(value)) {
      options[arg === '--plugins' ? 'plugins' : 'repetitions'] = Number(value);
      i += 1;
    } else if (arg === '--source' && (value === 'npm' || value === 'local')) {
      options.source = value;
      i += 1;
    } else {
      stderr.write(`bench:resolve: bad argument ${JSON.stringify(arg)}\n${RESOLVE_USAGE}`);
      return 2;
    }
  }
  if (options.plugins < KINDS.length + 1 || options.repetitions < 1) {
    stderr.write(`bench:resolve: --plugins must be at least ${KINDS.length + 1} and --repetitions at least 1\n${RESOLVE_USAGE}`);
    return 2;
  }
  stdout.write(formatResolve(await runResolveBench(options)));
  return 0;
}

// Run as a script (node dist/resolve.js), not when imported by the tests.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await resolveMain(process.argv.slice(2));
}
