const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The leaf fields of a JSON value, by dot path: `{"total": 5, "items": [{"name": "tea"}]}` gives
 * `total` → 5 and `items.0.name` → "tea". An empty object or array inside the value is a leaf of
 * its own (`{"tags": []}` gives `tags` → []); an empty root gives no fields; a bare scalar root is
 * one field with the empty path. Keys are used as they are, dots included.
 */
export function flattenJson(value: unknown): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const walk = (node: unknown, path: string, root: boolean) => {
    const entries: [string, unknown][] = Array.isArray(node)
      ? node.map((child, i) => [String(i), child])
      : isObject(node)
        ? Object.entries(node)
        : [];
    if (entries.length === 0) {
      if (!root || !(Array.isArray(node) || isObject(node))) fields.set(path, node);
      return;
    }
    for (const [key, child] of entries) walk(child, root ? key : `${path}.${key}`, false);
  };
  walk(value, '', true);
  return fields;
}
