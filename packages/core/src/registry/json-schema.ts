import { z } from '@vhb/sdk';
import { nameSchema, REGISTRY_KINDS, type RegistryKind, registryEntrySchemas } from './schemas.js';

/**
 * JSON Schema of each kind's YAML file, for editors (yaml-language-server) and the web UI.
 * `name` is optional there, since it defaults to the file stem.
 */
export function registryJsonSchemas(): Record<RegistryKind, Record<string, unknown>> {
  const out = {} as Record<RegistryKind, Record<string, unknown>>;
  for (const kind of REGISTRY_KINDS) {
    const fileSchema = registryEntrySchemas[kind].extend({ name: nameSchema.optional() });
    out[kind] = { title: `VLMHyperBench ${kind} entry`, ...z.toJSONSchema(fileSchema, { io: 'input' }) };
  }
  return out;
}
