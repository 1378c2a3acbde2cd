import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb-tools/registry', () => {
  it('pins its public exports', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'findFreePort',
      'npmrcFor',
      'packSdkDependencies',
      'publishSdk',
      'publishWorkspace',
      'selectPackages',
      'startVerdaccio',
      'verdaccioConfig',
      'workspacePackages',
    ]);
  });

  it('keeps verdaccio offline: no uplinks, no proxy on the package rule', () => {
    const yaml = mod.verdaccioConfig({ storageDir: '/s', htpasswdFile: '/h' });
    expect(yaml).toContain('uplinks: {}');
    expect(yaml).not.toContain('proxy:');
    expect(yaml).toContain('publish: $authenticated');
  });

  it('starts verdaccio, creates a user with a token, writes the npmrc, and stops', { timeout: 60_000 }, async () => {
    const registry = await mod.startVerdaccio();
    try {
      expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
      expect((await fetch(`${registry.url}/-/ping`)).ok).toBe(true);
      // The token must be accepted: whoami answers with the user created at start.
      const whoami = await fetch(`${registry.url}/-/whoami`, { headers: { authorization: `Bearer ${registry.token}` } });
      expect(await whoami.json()).toEqual({ username: 'vhb' });
      expect(await readFile(registry.npmrc, 'utf8')).toBe(
        `registry=${registry.url}/\n//127.0.0.1:${registry.port}/:_authToken=${registry.token}\n`,
      );
    } finally {
      await registry.stop();
    }
    await expect(fetch(`${registry.url}/-/ping`)).rejects.toThrow();
    await registry.stop();
  });
});
