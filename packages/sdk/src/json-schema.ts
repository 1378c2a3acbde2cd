import { z } from 'zod';
import type { PluginMeta } from './contract.js';

/** JSON Schemas of a plugin's options, input and output, for editors and the web UI. */
export function pluginJsonSchemas(plugin: PluginMeta): Record<'options' | 'input' | 'output', unknown> {
  const toJson = (schema: z.ZodType | undefined) => (schema ? z.toJSONSchema(schema, { unrepresentable: 'any' }) : null);
  return { options: toJson(plugin.options), input: toJson(plugin.input), output: toJson(plugin.output) };
}
