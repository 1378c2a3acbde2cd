import { describe, expect, it } from 'vitest';
import { ApptainerEnvManager, DockerEnvManager, LocalEnvManager, managerFor, RunpodEnvManager } from '../src/index.js';

/** A model's `environment:` block picks its manager; what a kind needs and lacks is a clear error. */
const context = {
  root: '/project',
  env: { RUNPOD_API_KEY: 'rp-secret', AWS_ACCESS_KEY_ID: 'AKIA-test' },
  model: 'm',
  cacheDir: '/project/.vhb-cache',
};

describe('managerFor', () => {
  it('builds the manager of each kind', () => {
    expect(managerFor({ kind: 'local' }, context)).toBeInstanceOf(LocalEnvManager);
    expect(managerFor({ kind: 'docker', image: 'vhb-node:test' }, context)).toBeInstanceOf(DockerEnvManager);
    const apptainer = managerFor({ kind: 'apptainer', image: 'docker://node:20-slim', gpus: 1 }, context);
    expect(apptainer).toBeInstanceOf(ApptainerEnvManager);
    expect(apptainer.kind).toBe('apptainer');
    const pod = managerFor(
      {
        kind: 'runpod',
        image: 'node:20-slim',
        runpod: { storage: 's3://bucket/jobs', storage_env: ['AWS_ACCESS_KEY_ID'], gpu_type_ids: ['NVIDIA A40'] },
      },
      context,
    );
    expect(pod).toBeInstanceOf(RunpodEnvManager);
    expect(pod.kind).toBe('runpod');
  });

  it('refuses a container kind without an image, runpod without its storage, and an unset storage variable', () => {
    expect(() => managerFor({ kind: 'apptainer' }, context)).toThrow(expect.objectContaining({ code: 'VHB_E_ENV_CONFIG' }));
    expect(() => managerFor({ kind: 'apptainer' }, context)).toThrow(/runs in apptainer but names no image/);
    expect(() => managerFor({ kind: 'runpod', image: 'node:20-slim' }, context)).toThrow(/no `runpod: \{ storage/);
    expect(() =>
      managerFor(
        { kind: 'runpod', image: 'node:20-slim', runpod: { storage: 's3://b/p', storage_env: ['AWS_SECRET_ACCESS_KEY'] } },
        context,
      ),
    ).toThrow(/AWS_SECRET_ACCESS_KEY is not set/);
    expect(() => managerFor({ kind: 'runpod', image: 'node:20-slim', runpod: { storage: 's3://b/p' } }, { ...context, env: {} })).toThrow(
      expect.objectContaining({ code: 'VHB_E_RUNPOD_AUTH' }),
    );
  });
});
