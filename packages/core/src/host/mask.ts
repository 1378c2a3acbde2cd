// Secrets npm and git may echo back in their output: tokens in npmrc lines, npm access tokens,
// Authorization headers, and passwords inside URLs.
const patterns: [RegExp, string][] = [
  [/(_authToken\s*=\s*)[^\s"']+/gi, '$1***'],
  [/(_auth\s*=\s*)[^\s"']+/gi, '$1***'],
  [/(_password\s*=\s*)[^\s"']+/gi, '$1***'],
  [/\bnpm_[A-Za-z0-9]{16,}\b/g, 'npm_***'],
  [/(authorization:\s*(?:bearer|basic)\s+)[^\s"']+/gi, '$1***'],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@'],
];

/** Replaces anything that looks like a credential with `***`, so output can go into errors and logs. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of patterns) masked = masked.replace(pattern, replacement);
  return masked;
}
