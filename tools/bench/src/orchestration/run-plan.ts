import { PluginHost, type ProjectConfig, RegistryManager } from '@vhb/core';
import { type ExperimentResult, type Plan, planExperiment, runExperiment } from '@vhb/runner';

/** What `vhb run bench` does, in process: load the registries, plan, run (events.jsonl and the tracker on). */
export async function runBenchPlan(config: ProjectConfig): Promise<ExperimentResult & { plan: Plan; loadMs: number }> {
  const started = performance.now();
  const registry = await RegistryManager.load({ root: config.root, registriesDir: config.registriesDir, runMode: config.runMode });
  const plan = planExperiment(registry, config, 'bench');
  const loadMs = performance.now() - started;
  const host = new PluginHost({ root: config.root, cacheDir: config.cacheDir });
  const result = await runExperiment({ registry, host, plan, env: {} });
  return { ...result, plan, loadMs };
}
