import type { z } from '@vhb/sdk';
import type { FieldPath } from './yaml-file.js';

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

// Wrappers (optional, default, ...) do not change which keys an object allows.
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else return current;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Union options that could describe `value`: objects whose literal fields all match it. */
function matchingOptions(options: unknown[], value: unknown): unknown[] {
  const fits = options.filter((option) => {
    const def = defOf(unwrap(option));
    if (def.type !== 'object') return false;
    const shape = def.shape as Record<string, unknown>;
    return Object.entries(shape).every(([key, field]) => {
      const fieldDef = defOf(unwrap(field));
      return fieldDef.type !== 'literal' || !isObject(value) || (fieldDef.values as unknown[]).includes(value[key]);
    });
  });
  return fits.length ? fits : options;
}

function collect(schema: unknown, path: FieldPath, value: unknown, out: Set<string>): void {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'union') {
    for (const option of matchingOptions(def.options as unknown[], value)) collect(option, path, value, out);
    return;
  }
  if (path.length === 0) {
    if (def.type === 'object') for (const key of Object.keys(def.shape as object)) out.add(key);
    return;
  }
  const [segment, ...rest] = path;
  const child = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment as string] : undefined;
  if (def.type === 'object') {
    const field = (def.shape as Record<string, unknown>)[String(segment)];
    if (field) collect(field, rest, child, out);
  } else if (def.type === 'array') collect(def.element, rest, child, out);
  else if (def.type === 'record') collect(def.valueType, rest, child, out);
}

/** The keys the schema allows for the object at `path` of `value`, for "did you mean" on unknown keys. */
export function allowedKeysAt(schema: z.ZodType, path: FieldPath, value: unknown): string[] {
  const out = new Set<string>();
  collect(schema, path, value, out);
  return [...out];
}
