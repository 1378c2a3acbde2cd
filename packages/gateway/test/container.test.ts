import { describe, expect, it } from 'vitest';
import { commandEngineSchema } from '../src/config.js';
import { assertDockerCli, containerName, dockerRunArgv } from '../src/engines/container.js';
import { createGateway } from '../src/index.js';
import { auth, KEY, logCollector } from './helpers.js';

const engine = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  commandEngineSchema.parse({
    kind: 'command',
    command: ['vllm', 'serve', 'Qwen/Qwen2-VL-7B-Instruct', '--port', '{port}'],
    container,
    ...extra,
  });

describe('the docker run argv of a command engine in a container', () => {
  it('runs the filled command with host networking, GPUs, mounts and env names', () => {
    const config = engine(
      {
        image: 'vllm/vllm-openai:v0.6.3',
        gpus: 'all',
        mounts: [{ source: '/models' }, { source: '/home/u/.cache/huggingface', target: '/root/.cache/huggingface', readOnly: true }],
        env: ['HF_HOME'],
      },
      { env: ['HF_TOKEN'], apiKeyEnv: 'VLLM_API_KEY' },
    );
    const command = ['vllm', 'serve', 'Qwen/Qwen2-VL-7B-Instruct', '--port', '8123'];
    expect(dockerRunArgv('qwen2-vl', config, config.container!, 8123, command)).toEqual([
      'docker',
      'run',
      '--rm',
      '--init',
      '--name',
      'vhb-serve-qwen2-vl-8123',
      '--network',
      'host',
      '--gpus',
      'all',
      '-v',
      '/models:/models',
      '-v',
      '/home/u/.cache/huggingface:/root/.cache/huggingface:ro',
      '-e',
      'HF_TOKEN',
      '-e',
      'HF_HOME',
      '-e',
      'VLLM_API_KEY',
      'vllm/vllm-openai:v0.6.3',
      ...command,
    ]);
  });

  it('passes a GPU count as a number, names each variable once, and uses the configured CLI', () => {
    const config = engine({ image: 'img', gpus: 2, env: ['HF_TOKEN'], docker: '/usr/bin/podman' }, { env: ['HF_TOKEN'] });
    const argv = dockerRunArgv('m', config, config.container!, 9000, ['serve']);
    expect(argv.slice(0, 2)).toEqual(['/usr/bin/podman', 'run']);
    expect(argv.join(' ')).toContain('--gpus 2 -e HF_TOKEN img serve');
    expect(argv.filter((arg) => arg === 'HF_TOKEN')).toHaveLength(1);
  });

  it('refuses a network the gateway cannot reach the engine through', () => {
    for (const network of ['none', 'bridge']) {
      const config = engine({ image: 'img', network });
      expect(() => dockerRunArgv('m', config, config.container!, 9000, ['serve'])).toThrow(
        expect.objectContaining({ code: 'VHB_E_GATEWAY_CONFIG', message: expect.stringContaining(`network "${network}"`) }),
      );
    }
  });

  it('makes a valid container name out of any model name', () => {
    expect(containerName('org/model:v1', 80)).toBe('vhb-serve-org-model-v1-80');
    expect(containerName('__', 80)).toBe('vhb-serve-model-80');
  });

  it('finds the docker CLI on PATH or by path, and says how to get it otherwise', () => {
    expect(() => assertDockerCli('m', 'node', { PATH: process.env.PATH })).not.toThrow();
    expect(() => assertDockerCli('m', process.execPath, {})).not.toThrow();
    expect(() => assertDockerCli('m', 'docker', { PATH: '/nonexistent' })).toThrow(
      expect.objectContaining({ code: 'VHB_E_GATEWAY_LOAD', hint: expect.stringContaining('docker CLI') }),
    );
  });
});

describe('loading a container engine without a docker CLI', () => {
  it('answers 503 with the hint, and starts nothing', async () => {
    const gateway = await createGateway({
      port: 0,
      apiKeys: [KEY],
      env: { PATH: '/nonexistent' },
      logDestination: logCollector(),
      nvidiaSmi: null,
      engines: { boxed: { kind: 'command', command: ['vllm', 'serve', 'x'], container: { image: 'img' } } },
    });
    try {
      const response = await fetch(`${gateway.url}/v1/models/load`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ model: 'boxed' }),
      });
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.error.code).toBe('VHB_E_GATEWAY_LOAD');
      expect(body.error.message).toContain('docker CLI "docker" is not found');
    } finally {
      await gateway.close();
    }
  });
});
