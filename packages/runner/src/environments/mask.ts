import { maskSecrets } from '@vhb/core';

/** Values shorter than this are not masked: `1` or `on` would blank out half a log line and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * A function that hides the given secret values (the environment a command gets) in a line of its
 * output, and whatever else looks like a credential (npm tokens, `Authorization` headers, passwords in URLs).
 */
export function secretMasker(secrets: Iterable<string | undefined>): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set([...secrets].filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let masked = text;
    for (const value of values) masked = masked.split(value).join('***');
    return maskSecrets(masked);
  };
}
