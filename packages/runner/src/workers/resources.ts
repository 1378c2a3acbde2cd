import type { Model } from '@vhb/core';
import type { Resources } from '@vhb/sdk';
import type { PluginLock } from '../lock.js';
import type { PackageNeed, PlannedRun } from '../plan.js';
import { type LoadResult, loadKey } from '../plugins.js';
import type { StageNeeds } from './placement.js';

/** What a run needs, per stage and for the whole run (the most any of its stages needs). */
export interface RunResources {
  /** Dataset, task, adapter and model: reading items and asking the model. */
  inference: StageNeeds;
  /** The metrics, scoring the predictions. */
  evaluation: StageNeeds;
  /** The reporters, writing the reports. */
  reporting: StageNeeds;
  /** The most any stage needs: what a worker holding the whole run must offer. */
  run: StageNeeds;
}

interface Declared {
  who: string;
  resources: Resources;
}

/** The model entry's `resources:` (registry YAML, snake_case) in the plugin contract's shape. */
function fromModel(resources: NonNullable<Model['resources']>): Resources {
  const { type, cpus, memory_mb, gpu_memory_mb, model, backend } = resources;
  return Object.fromEntries(
    Object.entries({ type, cpus, memoryMb: memory_mb, gpuMemoryMb: gpu_memory_mb, model, backend }).filter(([, v]) => v !== undefined),
  ) as unknown as Resources;
}

/** The largest value of `field` among the declarations, and who declared it; none when nobody declared more than 0. */
function largest(declared: Declared[], field: 'cpus' | 'memoryMb'): { value: number; who: string } | undefined {
  let best: { value: number; who: string } | undefined;
  for (const { who, resources } of declared) {
    const value = resources[field] ?? 0;
    if (value > (best?.value ?? 0)) best = { value, who };
  }
  return best;
}

/** Needs from declarations: CPUs and memory, the largest declared (the plugins of a stage work in one process). */
function hostNeeds(declared: Declared[]): StageNeeds {
  const cpus = largest(declared, 'cpus');
  const memory = largest(declared, 'memoryMb');
  const declaredBy = { ...(cpus ? { cpus: cpus.who } : {}), ...(memory ? { memoryMb: memory.who } : {}) };
  return {
    ...(cpus ? { cpus: cpus.value } : {}),
    ...(memory ? { memoryMb: memory.value } : {}),
    ...(Object.keys(declaredBy).length ? { declaredBy } : {}),
  };
}

/** The most of two stages' needs. */
function most(a: StageNeeds, b: StageNeeds): StageNeeds {
  const pick = (field: 'cpus' | 'memoryMb') => ((b[field] ?? 0) > (a[field] ?? 0) ? b : a);
  const cpus = pick('cpus');
  const memory = pick('memoryMb');
  const declaredBy = {
    ...(a.declaredBy?.gpu ? { gpu: a.declaredBy.gpu } : {}),
    ...(cpus.declaredBy?.cpus ? { cpus: cpus.declaredBy.cpus } : {}),
    ...(memory.declaredBy?.memoryMb ? { memoryMb: memory.declaredBy.memoryMb } : {}),
  };
  return {
    ...(a.gpu ? { gpu: true } : {}),
    ...(a.gpuMemoryMb === undefined ? {} : { gpuMemoryMb: a.gpuMemoryMb }),
    ...(cpus.cpus === undefined ? {} : { cpus: cpus.cpus }),
    ...(memory.memoryMb === undefined ? {} : { memoryMb: memory.memoryMb }),
    ...(Object.keys(declaredBy).length ? { declaredBy } : {}),
  };
}

/**
 * What a run needs to run, from what its model entry and its loaded plugins declare (`resources`):
 *
 * - **inference** — GPU: the model entry's `resources` when it has them (then `type: io` means no
 *   GPU, whatever the adapter says), else the adapter's: `type: gpu` or a `gpu_memory_mb`/`gpuMemoryMb`
 *   > 0 means a GPU, with that much memory (a whole GPU when no memory is given). CPUs: the model
 *   entry's `cpus`, else the adapter's (the task and
 *   dataset plugins run in the same process between the adapter's calls, so their CPUs are not
 *   added). Memory: the largest of the model entry's (else the adapter's), the task's and the dataset's.
 * - **evaluation** / **reporting** — the largest CPUs and memory any metric / reporter declares.
 * - **run** — the inference's GPU need, and the largest CPUs and memory of the three.
 *
 * Undeclared numbers are 0: `type: io` with no `cpus` holds no CPU. A package that failed to load
 * declares nothing (its run fails on its own). `results` is `loadPackages(...).results`; `model` the
 * model entry's `resources:`; `lock` the run folder's lock, when the packages were loaded with it.
 */
export function resourcesOf(
  run: PlannedRun,
  sources: { results: ReadonlyMap<string, LoadResult>; model?: Model['resources']; lock?: PluginLock },
): RunResources {
  const declared = (need: PackageNeed): Declared[] => {
    const result = sources.results.get(loadKey(need, sources.lock));
    const resources = result?.ok ? result.loaded.plugin.resources : undefined;
    return resources ? [{ who: `${need.kind} ${need.entry}`, resources }] : [];
  };
  const { task, dataset, adapter, metrics, reporters } = run.needs;
  const [adapterDeclared] = declared(adapter);
  const modelDeclared: Declared | undefined = sources.model
    ? { who: `model ${run.spec.model.name}`, resources: fromModel(sources.model) }
    : undefined;
  /** The model entry's declaration of a field when it makes one, else the adapter's. */
  const engine = (field: keyof Resources): Declared[] => {
    const chosen = modelDeclared && (field === 'type' || modelDeclared.resources[field] !== undefined) ? modelDeclared : adapterDeclared;
    return chosen ? [chosen] : [];
  };

  const inference: StageNeeds = {};
  // The GPU comes from one declaration: the model entry's when there is one (`type: io` there means no GPU).
  const [gpuDeclared] = modelDeclared ? [modelDeclared] : engine('type');
  const gpuResources = gpuDeclared?.resources;
  if (gpuResources && (gpuResources.type === 'gpu' || (gpuResources.gpuMemoryMb ?? 0) > 0)) {
    inference.gpu = true;
    if ((gpuResources.gpuMemoryMb ?? 0) > 0) inference.gpuMemoryMb = gpuResources.gpuMemoryMb;
  }
  const cpus = largest(engine('cpus'), 'cpus');
  const memory = largest([...engine('memoryMb'), ...declared(task), ...declared(dataset)], 'memoryMb');
  if (cpus) inference.cpus = cpus.value;
  if (memory) inference.memoryMb = memory.value;
  const declaredBy = {
    ...(inference.gpu && gpuDeclared ? { gpu: gpuDeclared.who } : {}),
    ...(cpus ? { cpus: cpus.who } : {}),
    ...(memory ? { memoryMb: memory.who } : {}),
  };
  if (Object.keys(declaredBy).length) inference.declaredBy = declaredBy;

  const evaluation = hostNeeds(metrics.flatMap(declared));
  const reporting = hostNeeds(reporters.flatMap(declared));
  return { inference, evaluation, reporting, run: most(most(inference, evaluation), reporting) };
}
