import { z } from 'zod';
import { CONTRACT_VERSION, PLUGIN_KINDS, type PluginKind } from './contract.js';
import type { AnyPlugin } from './plugins.js';

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const zodLike = z.custom<z.ZodType>(
  (value) => typeof value === 'object' && value !== null && typeof (value as z.ZodType).safeParse === 'function',
  'must be a zod schema',
);

const resourcesSchema = z.object({
  type: z.enum(['cpu', 'gpu', 'io']),
  cpus: z.number().positive().optional(),
  memoryMb: z.number().positive().optional(),
  gpuMemoryMb: z.number().nonnegative().optional(),
  model: z.string().optional(),
  backend: z.string().optional(),
});

const metaSchema = z.object({
  kind: z.enum(PLUGIN_KINDS),
  name: z.string().regex(kebabCase, 'must be kebab-case, like "my-metric"'),
  version: z.string().min(1),
  description: z.string().min(1),
  contract: z.number().int(),
  options: zodLike.optional(),
  input: zodLike.optional(),
  output: zodLike.optional(),
  resources: resourcesSchema.optional(),
});

/** Hooks each kind must have (functions) and other required fields. */
const requiredHooks: Record<PluginKind, string[]> = {
  task: ['buildRequest'],
  dataset: ['items'],
  adapter: ['open'],
  metric: ['score'],
  reporter: ['render'],
};

export type PluginCheck = { ok: true; plugin: AnyPlugin } | { ok: false; problems: string[] };

/**
 * Checks a loaded module's default export against the plugin contract.
 * Returns every problem at once, each naming the field and what to do.
 */
export function checkPlugin(value: unknown, expectedKind?: PluginKind): PluginCheck {
  if (typeof value !== 'object' || value === null) {
    return { ok: false, problems: ['the default export is not a plugin object: export default define<Kind>({...}) from @vhb/sdk'] };
  }
  const record = value as Record<string, unknown>;
  const parsed = metaSchema.safeParse(value);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(plugin)'}: ${issue.message}`);
  const kind = PLUGIN_KINDS.includes(record.kind as PluginKind) ? (record.kind as PluginKind) : undefined;
  if (expectedKind && kind && kind !== expectedKind) problems.push(`kind: is "${kind}", expected "${expectedKind}"`);
  if (typeof record.contract === 'number' && record.contract !== CONTRACT_VERSION) {
    problems.push(`contract: built for contract ${record.contract}, this host speaks ${CONTRACT_VERSION}: upgrade the plugin or the host`);
  }
  if (kind) problems.push(...kindProblems(kind, record));
  return problems.length ? { ok: false, problems } : { ok: true, plugin: value as AnyPlugin };
}

/** Problems with the hooks and fields a kind requires beyond the common metadata. */
function kindProblems(kind: PluginKind, record: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const hook of requiredHooks[kind]) {
    if (typeof record[hook] !== 'function') problems.push(`${hook}: a ${kind} plugin must define ${hook}()`);
  }
  if (kind === 'metric') {
    if (!Number.isInteger(record.algorithmVersion) || (record.algorithmVersion as number) < 1) {
      problems.push('algorithmVersion: must be a positive integer');
    }
    if (record.direction !== 'higher' && record.direction !== 'lower') problems.push('direction: must be "higher" or "lower"');
    if (record.dialects !== undefined && !(Array.isArray(record.dialects) && record.dialects.every((d) => typeof d === 'string'))) {
      problems.push('dialects: must be a list of dialect names, the default first');
    }
    const previous = record.previousVersions;
    if (previous !== undefined && !Array.isArray(previous)) problems.push('previousVersions: must be a list of metrics');
    for (const [i, old] of (Array.isArray(previous) ? previous : []).entries()) {
      const check = checkPlugin(old, 'metric');
      if (!check.ok) problems.push(...check.problems.map((p) => `previousVersions.${i}.${p}`));
    }
  }
  if (kind === 'task') {
    const prompt = record.defaultPrompt as Record<string, unknown> | undefined;
    if (typeof prompt?.id !== 'string' || typeof prompt?.user !== 'string') problems.push('defaultPrompt: needs an id and a user template');
    if (!Array.isArray(record.defaultMetrics)) problems.push('defaultMetrics: must be a list of metric names');
  }
  return problems;
}
