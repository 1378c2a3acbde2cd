function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutNulls(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child);
  return out;
}

/** A mapping whose `type` the overlay changes is another variant (a git source becoming local): its keys do not carry over. */
function changesVariant(base: Record<string, unknown>, overlay: Record<string, unknown>): boolean {
  return 'type' in base && overlay.type !== undefined && overlay.type !== null && overlay.type !== base.type;
}

/**
 * Applies a `*.dev.yaml` overlay to its base entry: objects merge key by key, recursively, unless
 * the overlay changes their `type` (then the overlay's object replaces the base's); arrays and
 * scalars replace; a `null` deletes the key. Neither input is changed.
 */
export function applyOverlay(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay) || changesVariant(base, overlay)) return withoutNulls(overlay);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = applyOverlay(out[key], value);
  }
  return out;
}
