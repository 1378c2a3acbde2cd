import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as gateway from '../src/index.js';

describe('@vhb/gateway exports', () => {
  it('exposes exactly the public API', () => {
    expect(Object.keys(gateway).sort()).toEqual(
      [
        'API_KEYS_ENV',
        'GatewayError',
        'GpuSampler',
        'KeyChecker',
        'Masker',
        'VERSION',
        'chatRequestSchema',
        'createGateway',
        'engineSchema',
        'errorStatus',
        'gatewayErrorCodes',
        'gatewayOptionsSchema',
        'loadApiKeys',
        'parseGatewayOptions',
        'presentedKey',
        'resolveImagePath',
      ].sort(),
    );
  });

  it('documents every error code in the README', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(gateway.gatewayErrorCodes)) expect(readme, code).toContain(code);
  });
});
