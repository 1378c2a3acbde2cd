import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerPool, loadPackages, PlacementError, type Plan, placeStages, planExperiment, resourcesOf } from '../src/index.js';

const plugins = fileURLToPath(new URL('../../../plugins', import.meta.url));
let root: string;
let plan: Plan;
let registry: RegistryManager;
let results: Awaited<ReturnType<typeof loadPackages>>['results'];

/** A GPU adapter package written as a plain plugin object (no imports), declaring `resources`. */
function gpuAdapter(name: string, resources: object): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: `@fixtures/${name}`,
      version: '1.0.0',
      type: 'module',
      exports: './index.js',
      vhb: { kind: 'adapter', contract: 1 },
    }),
    'index.js': `export default ${JSON.stringify({
      kind: 'adapter',
      contract: 1,
      name,
      version: '1.0.0',
      description: 'fixture',
      resources,
    }).slice(0, -1)}, async open() { throw new Error('not used'); } };\n`,
  };
}

const local = (name: string, path: string, kind: string) => `name: ${name}\nkind: ${kind}\nsource: { type: local, path: ${path} }\n`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vhb-runner-resources-'));
  const files: Record<string, string> = {
    'registries/packages/task-vqa.yaml': local('task-vqa', join(plugins, 'task-vqa'), 'task'),
    'registries/packages/dataset-jsonl.yaml': local('dataset-jsonl', join(plugins, 'dataset-jsonl'), 'dataset'),
    'registries/packages/adapter-openai.yaml': local('adapter-openai', join(plugins, 'adapter-openai'), 'adapter'),
    'registries/packages/metric-exact-match.yaml': local('metric-exact-match', join(plugins, 'metric-exact-match'), 'metric'),
    'registries/packages/reporter-json.yaml': local('reporter-json', join(plugins, 'reporter-json'), 'reporter'),
    'registries/packages/adapter-gpu.yaml': local('adapter-gpu', join(root, 'adapter-gpu'), 'adapter'),
    'registries/packages/adapter-hungry.yaml': local('adapter-hungry', join(root, 'adapter-hungry'), 'adapter'),
    'registries/tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
    'registries/datasets/d.yaml': 'name: d\npackage: dataset-jsonl\npath: data\n',
    'registries/metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
    'registries/reports/json.yaml': 'name: json\npackage: reporter-json\n',
    // A remote API model: io, no CPU of ours, no GPU.
    'registries/models/api.yaml': 'name: api\nadapter: adapter-openai\nresources: { type: io }\n',
    // A model whose entry declares the engine's GPU memory over what its adapter says.
    'registries/models/qwen-7b.yaml':
      'name: qwen-7b\nadapter: adapter-gpu\nresources: { type: gpu, gpu_memory_mb: 20480, memory_mb: 16384 }\n',
    'registries/models/qwen-72b.yaml': 'name: qwen-72b\nadapter: adapter-gpu\nresources: { type: gpu, gpu_memory_mb: 30720 }\n',
    // No model resources: the adapter's own declaration counts (a whole GPU, 3 CPUs).
    'registries/models/bare.yaml': 'name: bare\nadapter: adapter-hungry\n',
    'registries/runs/r-api.yaml': 'name: r-api\ntask: vqa\nmodel: api\ndataset: d\nreports: [json]\n',
    'registries/runs/r-7b.yaml': 'name: r-7b\ntask: vqa\nmodel: qwen-7b\ndataset: d\nreports: [json]\n',
    'registries/runs/r-72b.yaml': 'name: r-72b\ntask: vqa\nmodel: qwen-72b\ndataset: d\nreports: [json]\n',
    'registries/runs/r-bare.yaml': 'name: r-bare\ntask: vqa\nmodel: bare\ndataset: d\nreports: [json]\n',
    'registries/experiments/p.yaml': 'name: p\nparallelism: 4\nruns: [r-api, r-7b, r-72b, r-bare]\n',
  };
  for (const [file, text] of Object.entries(gpuAdapter('adapter-gpu', { type: 'gpu', gpuMemoryMb: 8192, cpus: 2, backend: 'vllm' }))) {
    files[`adapter-gpu/${file}`] = text;
  }
  for (const [file, text] of Object.entries(gpuAdapter('adapter-hungry', { type: 'gpu', cpus: 3, memoryMb: 2048 }))) {
    files[`adapter-hungry/${file}`] = text;
  }
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
  const config: ProjectConfig = {
    root,
    runMode: 'prod',
    registriesDir: join(root, 'registries'),
    resultsDir: join(root, 'results'),
    cacheDir: join(root, '.vhb-cache'),
  };
  registry = await RegistryManager.load({ root, registriesDir: config.registriesDir, runMode: 'prod' });
  expect(registry.validatePlan('p').filter((d) => d.severity === 'error')).toEqual([]);
  plan = planExperiment(registry, config, 'p');
  const host = new PluginHost({ root, cacheDir: config.cacheDir });
  ({ results } = await loadPackages(registry, host, plan.runs));
  for (const [key, result] of results) expect(result.ok, key).toBe(true);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const run = (name: string) => plan.runs.find((r) => r.name === name)!;
const modelOf = (name: string) => registry.get('models', run(name).spec.model.name)!.entry.resources;

describe('resourcesOf', () => {
  it('gives an API run no GPU and no CPU for inference; its metrics and reporters 1 CPU', () => {
    expect(resourcesOf(run('r-api'), { results, model: modelOf('r-api') })).toEqual({
      inference: {},
      evaluation: { cpus: 1, declaredBy: { cpus: 'metric metric-exact-match' } },
      reporting: { cpus: 1, declaredBy: { cpus: 'reporter reporter-json' } },
      run: { cpus: 1, declaredBy: { cpus: 'metric metric-exact-match' } },
    });
  });

  it("takes the model entry's GPU memory and memory over the adapter's, and the adapter's CPUs when the entry has none", () => {
    const needs = resourcesOf(run('r-7b'), { results, model: modelOf('r-7b') });
    expect(needs.inference).toEqual({
      gpu: true,
      gpuMemoryMb: 20480,
      cpus: 2,
      memoryMb: 16384,
      declaredBy: { gpu: 'model qwen-7b', cpus: 'adapter adapter-gpu', memoryMb: 'model qwen-7b' },
    });
    expect(needs.run).toEqual({ ...needs.inference });
  });

  it("uses the adapter's declaration when the model entry has no resources: a whole GPU", () => {
    expect(resourcesOf(run('r-bare'), { results, model: modelOf('r-bare') }).inference).toEqual({
      gpu: true,
      cpus: 3,
      memoryMb: 2048,
      declaredBy: { gpu: 'adapter adapter-hungry', cpus: 'adapter adapter-hungry', memoryMb: 'adapter adapter-hungry' },
    });
  });

  it('feeds placement: on two 24 GB GPUs the 72b run is refused, naming the run, the model and the largest GPU', () => {
    const stages = plan.runs.map((r) => ({
      id: `${r.name}/inference`,
      needs: resourcesOf(r, { results, model: modelOf(r.name) }).inference,
    }));
    const gpu = (index: number) => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA L4', memoryTotalMb: 24576, memoryFreeMb: 24576 });
    const pool = buildWorkerPool({ gpus: [gpu(0), gpu(1)], cpus: 8, memoryMb: 65536 }, { parallelism: plan.parallelism });
    let error: unknown;
    try {
      placeStages(stages, pool);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlacementError);
    expect((error as PlacementError).message).toBe(
      'a stage fits on no worker: stage "r-72b/inference" needs 30720 MB of GPU memory (model qwen-72b) but the largest GPU has 24576 MB free (GPU 0, NVIDIA L4, 24576 MB total)',
    );
    const schedule = placeStages(
      stages.filter((s) => !s.id.startsWith('r-72b')),
      pool,
    );
    // r-bare takes a whole GPU (first), r-7b the other; the API run needs nothing.
    expect(schedule.waves.map((w) => w.map((p) => `${p.stage}@${p.worker}`))).toEqual([
      ['r-bare/inference@gpu0', 'r-7b/inference@gpu1', 'r-api/inference@cpu'],
    ]);
  });
});
