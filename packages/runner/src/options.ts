import type { RegistryManager } from '@vhb/core';
import type { RunPlugins } from '@vhb/sdk';
import { type PluginMeta, VhbError } from '@vhb/sdk';
import type { OptionsSource, PlannedRun } from './plan.js';

function check(registry: RegistryManager, plugin: PluginMeta, options: unknown, source: OptionsSource): void {
  if (!plugin.options) return;
  const result = plugin.options.safeParse(options ?? {});
  if (result.success) return;
  const where = registry.locate(source.kind, source.name, source.field) ?? registry.get(source.kind, source.name);
  const at = where ? `${where.file}:${where.line}:${where.column}  ` : '';
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ');
  throw new VhbError('VHB_E_PLUGIN_OPTIONS', `${at}${plugin.kind} "${plugin.name}" options are invalid: ${problems}`, {
    hint: `fix \`${source.field}\` of ${source.kind.replace(/s$/, '')} "${source.name}" (the plugin's README lists its options)`,
  });
}

/** Checks every plugin's options against its own schema before the run starts, pointing at the YAML that set them. */
export function checkRunOptions(registry: RegistryManager, run: PlannedRun, plugins: RunPlugins): void {
  const { spec, optionSources: sources } = run;
  check(registry, plugins.task, spec.task.options, sources.task);
  check(registry, plugins.dataset, spec.dataset.options, sources.dataset);
  check(registry, plugins.adapter, spec.model.options, sources.adapter);
  for (const [i, metric] of plugins.metrics.entries())
    check(registry, metric, spec.metrics[i]?.options, sources.metrics[i] as OptionsSource);
  for (const [i, reporter] of plugins.reporters.entries())
    check(registry, reporter, spec.reporters[i]?.options, sources.reporters[i] as OptionsSource);
}
