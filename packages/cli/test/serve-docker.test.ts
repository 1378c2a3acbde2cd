// How `vhb serve` maps a model with `serve:` and `environment: { kind: docker }` onto a container engine.
// The engine in a real container is tested in @vhb/gateway (test/container-docker.test.ts).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFor } from '../src/commands/serve.js';
import { openProject, type Project } from '../src/project.js';
import type { Output } from '../src/ui/output.js';

const fixture = join(import.meta.dirname, 'fixtures', 'project');
const output: Output = { out: () => {}, err: () => {}, interactive: false, debug: false };
let root: string;
let project: Project;

const SERVE = ['serve:', '  command: [vllm, serve, Qwen/Qwen2-VL-7B-Instruct, --port, "{port}"]', '  env: [HF_TOKEN]'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vhb-serve-docker-'));
  await cp(fixture, root, { recursive: true });
  const models = join(root, 'registries/models');
  await writeFile(
    join(models, 'boxed.yaml'),
    [
      'name: boxed',
      'adapter: echo-adapter',
      'model_id: Qwen/Qwen2-VL-7B-Instruct',
      ...SERVE,
      'environment:',
      '  kind: docker',
      '  image: vllm/vllm-openai:v0.6.3',
      '  gpus: all',
      '  mounts: [{ source: weights, target: /models, read_only: true }, { source: /abs/cache }]',
      '  env: [HF_HOME]',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(models, 'boxed-model-image.yaml'),
    ['name: boxed-model-image', 'adapter: echo-adapter', 'image: sglang:latest', ...SERVE, 'environment:', '  kind: docker', ''].join('\n'),
  );
  await writeFile(
    join(models, 'boxed-no-image.yaml'),
    ['name: boxed-no-image', 'adapter: echo-adapter', ...SERVE, 'environment:', '  kind: docker', ''].join('\n'),
  );
  await writeFile(
    join(models, 'local-serve.yaml'),
    ['name: local-serve', 'adapter: echo-adapter', ...SERVE, 'environment:', '  kind: local', ''].join('\n'),
  );
  await writeFile(
    join(models, 'pod-serve.yaml'),
    ['name: pod-serve', 'adapter: echo-adapter', ...SERVE, 'environment:', '  kind: runpod', '  runpod: { storage: s3://b/p }', ''].join(
      '\n',
    ),
  );
  project = await openProject({ cwd: root }, output);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const engineOf = (name: string) => {
  const found = project.registry.get('models', name);
  if (!found) throw new Error(`no model ${name}: ${JSON.stringify(project.registry.diagnostics)}`);
  return engineFor(project, found.entry, found.file);
};

describe('vhb serve: models served in a docker container', () => {
  it('maps the environment block onto the command engine container (mount sources under the project root)', () => {
    expect(engineOf('boxed')).toMatchObject({
      kind: 'command',
      command: ['vllm', 'serve', 'Qwen/Qwen2-VL-7B-Instruct', '--port', '{port}'],
      env: ['HF_TOKEN'],
      container: {
        image: 'vllm/vllm-openai:v0.6.3',
        gpus: 'all',
        mounts: [
          { source: join(project.config.root, 'weights'), target: '/models', readOnly: true },
          { source: '/abs/cache', readOnly: false },
        ],
        env: ['HF_HOME'],
      },
    });
  });

  it("falls back to the model's image, and fails with a hint when there is none", () => {
    expect(engineOf('boxed-model-image')).toMatchObject({ container: { image: 'sglang:latest', mounts: [], env: [] } });
    expect(() => engineOf('boxed-no-image')).toThrow(
      expect.objectContaining({ code: 'VHB_E_ENV_CONFIG', message: expect.stringContaining('"boxed-no-image"') }),
    );
  });

  it('runs a model with a local environment as a plain process, and refuses to serve one in a pod', () => {
    expect(engineOf('local-serve')).not.toHaveProperty('container');
    expect(() => engineOf('pod-serve')).toThrow(
      expect.objectContaining({ code: 'VHB_E_ENV_CONFIG', message: expect.stringContaining('cannot start an engine in runpod') }),
    );
  });
});
