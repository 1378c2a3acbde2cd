import type { PluginMeta } from '../contract.js';
import { VhbError } from '../errors.js';

/** Validates options against the plugin's own schema; the plugin never sees invalid options. */
export function parseOptions<O>(plugin: PluginMeta<O>, raw: unknown): O {
  if (!plugin.options) return (raw ?? {}) as O;
  const result = plugin.options.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new VhbError('VHB_E_PLUGIN_OPTIONS', `${plugin.kind} "${plugin.name}" options are invalid: ${problems.join('; ')}`, {
    hint: `fix the options block for "${plugin.name}" in the registry`,
  });
}
