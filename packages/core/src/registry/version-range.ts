// npm accepts a dist-tag (`latest`, `next`) or a semver range; we check the shape only, so a typo
// fails at load instead of at install, without pulling in the semver package.
const part = '(?:0|[1-9]\\d*|[xX*])';
const prerelease = '(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?';
const version = `v?${part}(?:\\.${part}(?:\\.${part}${prerelease})?)?`;
const comparator = new RegExp(`^(?:[<>]=?|=|~>?|\\^)?\\s*${version}$`);
const hyphenRange = new RegExp(`^${version}\\s+-\\s+${version}$`);
const distTag = /^[A-Za-z][A-Za-z0-9._-]*$/;

function isComparatorSet(set: string): boolean {
  const trimmed = set.trim();
  if (trimmed === '' || trimmed === '*') return true;
  if (hyphenRange.test(trimmed)) return true;
  // Operators may be separated from their version by spaces (`>= 1.2`); glue them back first.
  const tokens = trimmed.replace(/([<>]=?|=|~>?|\^)\s+/g, '$1').split(/\s+/);
  return tokens.every((token) => comparator.test(token));
}

/** Whether `value` is a dist-tag or a semver range npm would accept (`^1.2.0`, `>=1 <2`, `1.x || 2`). */
export function isVersionRange(value: string): boolean {
  if (distTag.test(value) && !/^v\d/.test(value)) return true;
  return value.split('||').every(isComparatorSet);
}
