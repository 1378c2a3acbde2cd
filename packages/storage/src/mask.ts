/** Environment variables whose values are secrets: masked wherever they would appear in a message. */
export const SECRET_ENV_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'VHB_S3_ACCESS_KEY_ID',
  'VHB_S3_SECRET_ACCESS_KEY',
  'VHB_S3_SESSION_TOKEN',
] as const;

/**
 * `text` with every known secret replaced by `***`, plus what looks like one whatever its source:
 * AWS access key ids (`AKIA…`, `ASIA…`), presigned-URL credentials and signatures, and the
 * user:password part of a URL.
 */
export function maskSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  const known = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of known.sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out
    .replace(/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '***')
    .replace(/(X-Amz-(?:Credential|Signature|Security-Token)=)[^&\s"'<]+/gi, '$1***')
    .replace(/((?:Signature|Credential)=)[^,&\s"'<]+/g, '$1***')
    .replace(/(\/\/)[^/@\s:]+:[^/@\s]+@/g, '$1***:***@');
}

/** The secret values present in `env` (the variables in SECRET_ENV_VARS). */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return SECRET_ENV_VARS.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v !== '');
}
