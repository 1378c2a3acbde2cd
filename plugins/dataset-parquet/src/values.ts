const utf8 = new TextDecoder('utf-8', { fatal: false });

/** True for a binary cell as hyparquet decodes it (`utf8: false`). */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** A cell as text: strings as they are, unannotated binary decoded as UTF-8, numbers and booleans written out; undefined otherwise. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isBytes(value)) return utf8.decode(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * A cell as a JSON-friendly metadata value: bigints as numbers (or text past 2^53), dates as ISO
 * text, binary left out (undefined), lists and structs converted member by member.
 */
export function asMetadata(value: unknown): unknown {
  if (value === null || value === undefined || isBytes(value)) return undefined;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((member) => asMetadata(member) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const converted = asMetadata(member);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return value;
}

/** A short, printable form of an offending cell. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (isBytes(value)) return `${value.byteLength} bytes`;
  const json = JSON.stringify(asMetadata(value) ?? null);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
