import type { SourcePosition } from './diagnostics.js';
import { type FieldPath, positionIn, type YamlFile } from './yaml-file.js';

/**
 * Finds a field among the files an entry was merged from (overlay first, then base): the file where
 * the path reaches deepest wins, the overlay on a tie, since its values replace the base's.
 */
export function locateField(files: readonly YamlFile[], path: FieldPath, preferKey = false): { position: SourcePosition; file: YamlFile } {
  let best: { depth: number; position: SourcePosition; file: YamlFile } | undefined;
  for (const file of files) {
    const found = positionIn(file, path, preferKey);
    if (!best || found.depth > best.depth) best = { ...found, file };
  }
  if (!best) throw new Error('locateField needs at least one file');
  return best;
}

/** Splits `metrics.1.name` into `['metrics', 1, 'name']`. */
export function toFieldPath(field: string | FieldPath): FieldPath {
  if (typeof field !== 'string') return field;
  if (field === '') return [];
  return field.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

export function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment as string];
  }
  return current;
}
