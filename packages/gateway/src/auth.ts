import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GatewayError } from './errors.js';

/** The environment variable holding the gateway's API keys, comma-separated. */
export const API_KEYS_ENV = 'VHB_GATEWAY_API_KEYS';

/** Collects the API keys: given ones, else those of `VHB_GATEWAY_API_KEYS` and of the key file. */
export async function loadApiKeys(options: {
  apiKeys?: string[] | undefined;
  apiKeyFile?: string | undefined;
  env: Record<string, string | undefined>;
}): Promise<string[]> {
  if (options.apiKeys) return [...options.apiKeys];
  const keys = (options.env[API_KEYS_ENV] ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (options.apiKeyFile) {
    let text: string;
    try {
      text = await readFile(options.apiKeyFile, 'utf8');
    } catch (cause) {
      throw new GatewayError('VHB_E_GATEWAY_KEY_FILE', `cannot read the API key file ${options.apiKeyFile}: ${(cause as Error).message}`, {
        hint: 'give a readable file with one key per line',
        cause,
      });
    }
    const fromFile = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (fromFile.length === 0) {
      throw new GatewayError('VHB_E_GATEWAY_KEY_FILE', `the API key file ${options.apiKeyFile} holds no key`, {
        hint: 'write one key per line (lines starting with # are comments)',
      });
    }
    keys.push(...fromFile);
  }
  return keys;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Checks keys in constant time: every configured key is compared (sha256 digests, equal length), whatever matches. */
export class KeyChecker {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  check(presented: string | undefined): boolean {
    if (!this.enabled) return true;
    const candidate = digest(presented ?? '');
    let ok = false;
    for (const known of this.digests) ok = timingSafeEqual(candidate, known) || ok;
    return ok && presented !== undefined;
  }
}

/** The key of a request: `X-API-Key`, or `Authorization: Bearer <key>` (what OpenAI clients send). */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct) return direct.trim();
  const authorization = headers.authorization;
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = value?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}
