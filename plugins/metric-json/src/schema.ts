/** The JSON Schema subset the metric checks answers against. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON equality, as JSON Schema's `enum` and `const` mean it: key order does not matter, 1 equals 1.0. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return value === null;
  }
}

const at = (path: string) => path || '(root)';

/**
 * Checks a JSON value against a JSON Schema, for the keywords `type` (a name or a list of names),
 * `enum`, `const`, `required`, `properties`, `additionalProperties` (false or a schema) and `items`
 * (one schema for every element, or a list for the first elements, as draft-07 tuples); boolean
 * schemas too. Other keywords (`$ref`, `pattern`, `minimum`, `format`, ...) are ignored.
 * Returns the problems found, each naming its dot path; none means valid.
 */
export function validateJson(value: unknown, schema: JsonSchema, path = ''): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at(path)}: not allowed (schema false)`];
  const problems: string[] = [];
  const { type, enum: allowed, const: constant, required, properties, additionalProperties, items } = schema;
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((t) => hasType(value, t))) problems.push(`${at(path)}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  if (Array.isArray(allowed) && !allowed.some((option) => jsonEqual(option, value))) {
    problems.push(`${at(path)}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`);
  }
  if (constant !== undefined && !jsonEqual(constant, value)) problems.push(`${at(path)}: expected ${JSON.stringify(constant)}`);
  const child = (key: string) => (path ? `${path}.${key}` : key);
  if (isObject(value)) {
    for (const key of Array.isArray(required) ? (required as string[]) : []) {
      if (!Object.hasOwn(value, key)) problems.push(`${at(path)}: missing required property "${key}"`);
    }
    const declared = isObject(properties) ? properties : {};
    for (const [key, item] of Object.entries(value)) {
      if (Object.hasOwn(declared, key)) problems.push(...validateJson(item, declared[key] as JsonSchema, child(key)));
      else if (additionalProperties !== undefined) problems.push(...validateJson(item, additionalProperties as JsonSchema, child(key)));
    }
  }
  if (Array.isArray(value) && items !== undefined) {
    value.forEach((item, i) => {
      const itemSchema = Array.isArray(items) ? (items[i] as JsonSchema | undefined) : (items as JsonSchema);
      if (itemSchema !== undefined) problems.push(...validateJson(item, itemSchema, child(String(i))));
    });
  }
  return problems;
}

/** What is wrong with a schema itself, for the keywords `validateJson` reads (checked with the options). */
export function schemaProblems(schema: unknown, path = ''): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [`${at(path)}: a schema must be an object or a boolean, got ${JSON.stringify(schema)}`];
  const problems: string[] = [];
  const where = (keyword: string) => (path ? `${path}.${keyword}` : keyword);
  const { type, enum: allowed, required, properties, additionalProperties, items } = schema;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    for (const t of types) {
      if (!TYPES.includes(t as (typeof TYPES)[number]))
        problems.push(`${where('type')}: ${JSON.stringify(t)} is not one of ${TYPES.join(', ')}`);
    }
  }
  if (allowed !== undefined && !Array.isArray(allowed)) problems.push(`${where('enum')}: must be a list of values`);
  if (required !== undefined && !(Array.isArray(required) && required.every((key) => typeof key === 'string'))) {
    problems.push(`${where('required')}: must be a list of property names`);
  }
  if (properties !== undefined) {
    if (!isObject(properties)) problems.push(`${where('properties')}: must map property names to schemas`);
    else for (const [key, sub] of Object.entries(properties)) problems.push(...schemaProblems(sub, `${where('properties')}.${key}`));
  }
  if (additionalProperties !== undefined) problems.push(...schemaProblems(additionalProperties, where('additionalProperties')));
  if (Array.isArray(items)) {
    for (const [i, sub] of items.entries()) problems.push(...schemaProblems(sub, `${where('items')}.${i}`));
  } else if (items !== undefined) problems.push(...schemaProblems(items, where('items')));
  return problems;
}
