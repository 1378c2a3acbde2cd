/**
 * The code points of a string, one string each, as Python's `list(s)` gives them: an emoji outside
 * the BMP is one element, not two UTF-16 halves. A lone surrogate stays one element.
 */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Writes the code points of `s` into `out` as numbers, for the distance kernels, (at least `s.length` long) and returns how many there are. */
export function codePointsInto(s: string, out: Int32Array): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const unit = s.charCodeAt(k);
    if (unit >= 0xd800 && unit <= 0xdbff && k + 1 < s.length) {
      const low = s.charCodeAt(k + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        out[n++] = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        k++;
        continue;
      }
    }
    out[n++] = unit;
  }
  return n;
}
