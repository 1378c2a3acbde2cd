import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../src/index.js';
import { removeTempProjects, tempProject } from './fixtures/registry-support/temp-project.js';

afterAll(removeTempProjects);

describe('loadProjectConfig', () => {
  it('finds the vhb key of package.json upward from a sub-folder and resolves paths against it', async () => {
    const root = await tempProject({
      'package.json': JSON.stringify({ name: 'bench', vhb: { runMode: 'dev', registriesDir: 'regs' } }),
    });
    const cwd = join(root, 'sub', 'deeper');
    await mkdir(cwd, { recursive: true });
    expect(await loadProjectConfig(cwd, { env: {}, stopDir: root })).toEqual({
      root,
      runMode: 'dev',
      registriesDir: join(root, 'regs'),
      resultsDir: join(root, 'results'),
      cacheDir: join(root, '.vhb-cache'),
      configFile: join(root, 'package.json'),
    });
  });

  it('lets RUN_MODE override the config', async () => {
    const root = await tempProject({ 'package.json': JSON.stringify({ vhb: { runMode: 'dev' } }) });
    expect((await loadProjectConfig(root, { env: { RUN_MODE: 'prod' }, stopDir: root })).runMode).toBe('prod');
  });

  it('falls back to the cwd with defaults when no config exists; RUN_MODE still applies', async () => {
    const root = await tempProject({});
    expect(await loadProjectConfig(root, { env: {}, stopDir: root })).toEqual({
      root,
      runMode: 'prod',
      registriesDir: join(root, 'registries'),
      resultsDir: join(root, 'results'),
      cacheDir: join(root, '.vhb-cache'),
    });
    expect((await loadProjectConfig(root, { env: { RUN_MODE: 'dev' }, stopDir: root })).runMode).toBe('dev');
  });

  it('skips a plugin package.json whose vhb key is its plugin manifest', async () => {
    const root = await tempProject({
      'package.json': JSON.stringify({ vhb: { resultsDir: 'out' } }),
      'plugins/metric-x/package.json': JSON.stringify({ name: '@vhb/metric-x', vhb: { kind: 'metric', contract: 1 } }),
    });
    const config = await loadProjectConfig(join(root, 'plugins', 'metric-x'), { env: {}, stopDir: root });
    expect(config.root).toBe(root);
    expect(config.resultsDir).toBe(join(root, 'out'));
  });

  it('reads vhb.config.yaml, preferring it to package.json in the same folder', async () => {
    const root = await tempProject({
      'package.json': JSON.stringify({ vhb: { runMode: 'dev' } }),
      'vhb.config.yaml': 'cacheDir: /var/cache/vhb\nnpmRegistry: http://localhost:4873/\n',
    });
    expect(await loadProjectConfig(root, { env: {}, stopDir: root })).toMatchObject({
      runMode: 'prod',
      cacheDir: '/var/cache/vhb',
      npmRegistry: 'http://localhost:4873/',
      configFile: join(root, 'vhb.config.yaml'),
    });
  });

  it('reads an ES module config (vhb.config.mjs) and a .vhbrc.json', async () => {
    const mjs = await tempProject({ 'vhb.config.mjs': "export default { registriesDir: 'my-registries' };\n" });
    expect((await loadProjectConfig(mjs, { env: {}, stopDir: mjs })).registriesDir).toBe(join(mjs, 'my-registries'));
    const rc = await tempProject({ '.vhbrc.json': '{ "runMode": "dev" }' });
    expect((await loadProjectConfig(rc, { env: {}, stopDir: rc })).runMode).toBe('dev');
  });

  it('refuses unknown keys with "did you mean", and bad values', async () => {
    const root = await tempProject({ '.vhbrc.json': '{ "registryDir": "r" }' });
    await expect(loadProjectConfig(root, { env: {}, stopDir: root })).rejects.toMatchObject({
      code: 'VHB_E_CONFIG_INVALID',
      hint: 'did you mean "registriesDir"?',
    });
    const mode = await tempProject({ '.vhbrc.json': '{ "runMode": "staging" }' });
    await expect(loadProjectConfig(mode, { env: {}, stopDir: mode })).rejects.toMatchObject({ code: 'VHB_E_CONFIG_INVALID' });
  });

  it('refuses a RUN_MODE that is neither prod nor dev', async () => {
    const root = await tempProject({});
    await expect(loadProjectConfig(root, { env: { RUN_MODE: 'staging' }, stopDir: root })).rejects.toMatchObject({
      code: 'VHB_E_CONFIG_RUN_MODE',
      message: 'RUN_MODE is "staging", expected "prod" or "dev"',
    });
  });

  it('reports a config file that does not parse', async () => {
    const root = await tempProject({ '.vhbrc.yaml': 'runMode: [dev\n' });
    await expect(loadProjectConfig(root, { env: {}, stopDir: root })).rejects.toMatchObject({ code: 'VHB_E_CONFIG_LOAD' });
  });
});
