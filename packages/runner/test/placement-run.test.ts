import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { startTestEngine, type TestEngine } from '@vhb-tools/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, type Machine, planExperiment, runExperiment, type TimedEvent } from '../src/index.js';
import { projectConfig, vqaRegistries, writeTree } from './helpers/vqa-project.js';

/** runExperiment places runs by their declared resources on the machine it is given (one 80 GB GPU here). */
const MACHINE: Machine = {
  gpus: [{ index: 0, uuid: 'GPU-test', name: 'Test GPU', memoryTotalMb: 81920, memoryUsedMb: 0, memoryFreeMb: 81920 }],
  cpus: 8,
  memoryMb: 65536,
};

let work: string;
let engine: TestEngine;

async function project(name: string, gpuMemoryMb: number): Promise<ProjectConfig> {
  const root = join(work, name);
  const registries = {
    ...vqaRegistries(engine.baseUrl),
    'models/m.yaml': `name: m\nadapter: adapter-openai\nmodel_id: test-model\nendpoint: ${engine.baseUrl}\nresources: { type: gpu, gpu_memory_mb: ${gpuMemoryMb} }\n`,
    'runs/a.yaml': 'name: a\ntask: vqa\nmodel: m\ndataset: d\nreports: []\n',
    'runs/b.yaml': 'name: b\ntask: vqa\nmodel: m\ndataset: d\nreports: []\ngeneration: { temperature: 0.5 }\n',
    'experiments/p.yaml': 'name: p\nparallelism: 2\nruns: [a, b]\n',
  };
  await writeTree(root, {
    ...Object.fromEntries(Object.entries(registries).map(([file, text]) => [`registries/${file}`, text])),
    'data/items.jsonl': `${[0, 1, 2].map((i) => JSON.stringify({ id: `q${i}`, question: `question ${i}`, references: ['x'] })).join('\n')}\n`,
  });
  return projectConfig(root);
}

async function run(config: ProjectConfig) {
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registry, config, 'p');
  const bus = new EventBus();
  const seen: TimedEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir });
  const result = runExperiment({ registry, host, plan, bus, env: {}, machine: MACHINE, sampleResourcesMs: false });
  return { result, seen };
}

/** The order runs started and ended in. */
const timeline = (seen: TimedEvent[]) =>
  seen.filter((e) => e.type === 'run-start' || e.type === 'run-end').map((e) => `${e.type === 'run-start' ? 'start' : 'end'}:${e.run}`);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vhb-runner-place-'));
  // Each answer takes 100 ms: two runs in parallel overlap, one after the other do not.
  engine = await startTestEngine({ behaviour: { ttftMs: 100, tokenDelayMs: 0 } });
});
afterAll(async () => {
  await engine?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('placement in runExperiment', { timeout: 60_000 }, () => {
  it('refuses a plan with a run that fits on no GPU before any run starts', async () => {
    const config = await project('too-big', 100_000);
    engine.reset();
    const { result, seen } = await run(config);
    await expect(result).rejects.toMatchObject({ code: 'VHB_E_PLACEMENT_IMPOSSIBLE' });
    await expect(result).rejects.toThrow(/100000 MB of GPU memory/);
    expect(seen.filter((e) => e.type === 'run-start')).toEqual([]);
    expect(engine.requests).toEqual([]);
    expect(existsSync(join(config.resultsDir, 'p', 'a'))).toBe(false);
  });

  it('runs two 50 GB runs one after the other on an 80 GB GPU, and two 30 GB runs side by side', async () => {
    const big = await run(await project('big', 50_000));
    expect((await big.result).outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(timeline(big.seen)).toEqual(['start:a', 'end:a', 'start:b', 'end:b']);

    const small = await run(await project('small', 30_000));
    expect((await small.result).outcomes.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(timeline(small.seen).slice(0, 2)).toEqual(['start:a', 'start:b']);
  });
});
