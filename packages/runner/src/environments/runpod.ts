import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { VhbError, z } from '@vhb/sdk';
import { maskSecrets, openStorage, type Storage } from '@vhb/storage';
import type { EnvManager, RunRequest, RunResult, SetupRequest, SetupResult } from './contract.js';
import { POD_AGENT, POD_PLUGIN_DIR, podStartCommand } from './runpod-agent.js';
import { type CreatePodBody, RUNPOD_API_URL, RUNPOD_KEY_HINT, RunpodApi } from './runpod-api.js';
import { collectMounts, deleteJob, type JobFile, readExit, replayLogs, stageMounts, uploadMounts } from './runpod-job.js';

export const runpodOptionsSchema = z
  .object({
    /** The Docker image of the pod; it must have `node` and `npm`. */
    image: z.string().min(1),
    /** The storage every file goes through, opened by the host and by the pod: `s3://bucket/prefix` (`file:///…` in tests). */
    storage: z.string().min(1),
    /** Variables the pod needs to open the storage (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, VHB_S3_ENDPOINT, …); masked in logs, kept from the command. */
    storageEnv: z.record(z.string(), z.string()).default({}),
    /** Key prefix of the jobs in the storage (each run gets `<prefix>/<random id>`). */
    prefix: z.string().min(1).default('vhb-runpod'),
    name: z.string().min(1).optional(),
    gpuTypeIds: z.array(z.string().min(1)).min(1).optional(),
    gpuCount: z.number().int().positive().optional(),
    computeType: z.enum(['GPU', 'CPU']).optional(),
    cloudType: z.enum(['SECURE', 'COMMUNITY']).optional(),
    containerDiskInGb: z.number().int().positive().optional(),
    volumeInGb: z.number().int().nonnegative().optional(),
    volumeMountPath: z.string().min(1).optional(),
    ports: z.array(z.string().min(1)).optional(),
    /** Default: the RUNPOD_API_KEY environment variable. */
    apiKey: z.string().min(1).optional(),
    baseUrl: z.url().default(RUNPOD_API_URL),
    /** The npm spec of the storage client the pod installs beside the plugins. */
    storagePackage: z.string().min(1).default('@vhb/storage'),
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** First wait between two polls; each next wait is 1.5× longer, up to `maxPollMs`. */
    pollMs: z.number().int().positive().default(2_000),
    maxPollMs: z.number().int().positive().default(30_000),
    /** From the create call until the job has started (image pull, npm install, first sync). */
    startTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(20 * 60_000),
    /** From the job's start until its end. */
    runTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(24 * 3_600_000),
    /** Polls in a row that may fail (5xx, timeouts, network) before the run fails. */
    maxPollFailures: z.number().int().positive().default(5),
    /** Keep the job's files in the storage after cleanup (to look at them). */
    keepStorage: z.boolean().default(false),
  })
  .strict();

export type RunpodOptions = z.input<typeof runpodOptionsSchema> & {
  /** Where RUNPOD_API_KEY is read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
};

/**
 * Runs each stage in a fresh RunPod pod through RunPod's REST API: create the pod, wait for the
 * job to start, let it pull its data from the storage and run, collect the results back from the
 * storage, terminate the pod — always, even when the run fails.
 */
export class RunpodEnvManager implements EnvManager {
  readonly kind = 'runpod' as const;
  private readonly options: z.output<typeof runpodOptionsSchema>;
  private readonly api: RunpodApi;
  private readonly storage: Storage;
  private readonly secrets: string[];
  private install: { packages: string[]; registry?: string | undefined } = { packages: [] };
  /** Pods not yet known to be terminated, and jobs whose files are still in the storage. */
  private readonly pods = new Set<string>();
  private readonly jobs = new Set<string>();

  constructor(options: RunpodOptions) {
    const { env = process.env, ...rest } = options;
    const parsed = runpodOptionsSchema.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VhbError(
        'VHB_E_RUNPOD_OPTIONS',
        `invalid runpod options: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
        {
          hint: 'see "Environments: apptainer and runpod" in the @vhb/runner README',
        },
      );
    }
    this.options = parsed.data;
    const apiKey = this.options.apiKey ?? env.RUNPOD_API_KEY;
    if (!apiKey) throw new VhbError('VHB_E_RUNPOD_AUTH', 'no RunPod API key: RUNPOD_API_KEY is not set', { hint: RUNPOD_KEY_HINT });
    this.secrets = [apiKey, ...Object.values(this.options.storageEnv)];
    this.api = new RunpodApi({
      baseUrl: this.options.baseUrl,
      apiKey,
      requestTimeoutMs: this.options.requestTimeoutMs,
      mask: (text) => maskSecrets(text, this.secrets),
    });
    this.storage = openStorage(this.options.storage);
  }

  /** Remembers what to install: the pod's start command installs it (a pod is made per run). */
  async setup(request: SetupRequest): Promise<SetupResult> {
    this.install = { packages: [...request.packages], registry: request.registry };
    return { pluginDir: POD_PLUGIN_DIR };
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (request.command.length === 0)
      throw new VhbError('VHB_E_RUNPOD_OPTIONS', 'the command to run is empty', { hint: 'give the program and its arguments' });
    const { signal } = request;
    const userEnv = request.env ?? {};
    const secrets = [...this.secrets, ...Object.values(userEnv)];
    const mask = (text: string) => maskSecrets(text, secrets);
    const job = `${this.options.prefix}/${randomBytes(6).toString('hex')}`;
    this.jobs.add(job);
    const mounts = stageMounts(job, request.mounts ?? []);
    await uploadMounts(this.storage, mounts, signal);
    const own = ['VHB_POD_AGENT', 'VHB_POD_STORAGE', 'VHB_POD_PREFIX'];
    const jobFile: JobFile = {
      command: request.command,
      ...(request.cwd ? { cwd: request.cwd } : {}),
      mounts: mounts.map(({ key, target, readOnly }) => ({ key, target, readOnly })),
      strip: [...own, ...Object.keys(this.options.storageEnv).filter((name) => !(name in userEnv))],
    };
    await this.storage.put(`${job}/job.json`, `${JSON.stringify(jobFile)}\n`, { contentType: 'application/json' });
    const pod = await this.api.createPod(this.createBody(job, userEnv), signal);
    this.pods.add(pod.id);
    let result: RunResult | undefined;
    let failure: unknown;
    try {
      await this.waitFor(pod.id, job, 'started.json', this.options.startTimeoutMs, signal);
      await this.waitFor(pod.id, job, 'exit.json', this.options.runTimeoutMs, signal);
      const exit = await readExit(this.storage, job);
      await replayLogs(this.storage, job, request.onLog, mask);
      if (exit.error !== undefined || typeof exit.exitCode !== 'number')
        throw new VhbError(
          'VHB_E_RUNPOD_JOB',
          `the job in pod ${pod.id} failed before or after its command: ${mask(exit.error ?? 'no exit code')}`,
          {
            hint: `check the storage settings (storage, storageEnv) as the pod sees them; the job's files are under ${this.storage.url}/${job}`,
          },
        );
      await collectMounts(this.storage, mounts, signal);
      result = { exitCode: exit.exitCode };
    } catch (error) {
      failure = error;
    }
    try {
      await this.terminate(pod.id);
    } catch (error) {
      // The run's own failure says more; cleanup() tries the pod again.
      if (failure === undefined) failure = error;
    }
    if (failure !== undefined) throw failure;
    return result as RunResult;
  }

  /** Terminates every pod not yet terminated and deletes the jobs' files from the storage; safe to call twice. */
  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const id of [...this.pods]) await this.terminate(id).catch((error) => errors.push(error));
    if (!this.options.keepStorage)
      for (const job of [...this.jobs]) {
        await deleteJob(this.storage, job).then(
          () => this.jobs.delete(job),
          (error) => errors.push(error),
        );
      }
    if (errors.length > 0) throw errors[0];
  }

  private async terminate(id: string): Promise<void> {
    await this.api.terminatePod(id);
    this.pods.delete(id);
  }

  private createBody(job: string, userEnv: Record<string, string>): CreatePodBody {
    const o = this.options;
    return {
      name: o.name ?? `vhb-${job.slice(job.lastIndexOf('/') + 1)}`,
      imageName: o.image,
      ...(o.gpuTypeIds ? { gpuTypeIds: o.gpuTypeIds } : {}),
      ...(o.gpuCount !== undefined ? { gpuCount: o.gpuCount } : {}),
      ...(o.computeType ? { computeType: o.computeType } : {}),
      ...(o.cloudType ? { cloudType: o.cloudType } : {}),
      ...(o.containerDiskInGb !== undefined ? { containerDiskInGb: o.containerDiskInGb } : {}),
      ...(o.volumeInGb !== undefined ? { volumeInGb: o.volumeInGb } : {}),
      ...(o.volumeMountPath ? { volumeMountPath: o.volumeMountPath } : {}),
      ...(o.ports ? { ports: o.ports } : {}),
      env: { ...o.storageEnv, ...userEnv, VHB_POD_STORAGE: o.storage, VHB_POD_PREFIX: job, VHB_POD_AGENT: POD_AGENT },
      dockerStartCmd: podStartCommand({ ...this.install, storagePackage: o.storagePackage }),
    };
  }

  /**
   * Polls, with a growing wait, until the agent leaves `<job>/<marker>` in the storage. Fails when
   * the pod is gone or stopped first, when `timeoutMs` passes, or after `maxPollFailures` failed
   * polls in a row.
   */
  private async waitFor(podId: string, job: string, marker: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const phase = marker === 'started.json' ? 'start' : 'finish';
    let wait = this.options.pollMs;
    let failures = 0;
    for (;;) {
      if (await this.storage.stat(`${job}/${marker}`)) return;
      let status: string | undefined;
      try {
        const pod = await this.api.getPod(podId, signal);
        failures = 0;
        status = pod ? (pod.desiredStatus ?? 'RUNNING') : 'gone (404)';
      } catch (error) {
        const retryable = (error as VhbError).retry?.retryable === true && !signal?.aborted;
        if (!retryable || ++failures >= this.options.maxPollFailures) throw error;
      }
      if (status !== undefined && status !== 'RUNNING') {
        if (await this.storage.stat(`${job}/${marker}`)) return; // it finished just before it stopped
        throw new VhbError(
          'VHB_E_RUNPOD_POD',
          `pod ${podId} is ${status} but its job did not ${phase} (no ${job}/${marker} in ${this.storage.url})`,
          {
            hint: "look at the pod's logs in the RunPod console: a failing npm install, an image without node, or a storage the pod cannot reach are the usual causes",
          },
        );
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new VhbError('VHB_E_RUNPOD_TIMEOUT', `the job in pod ${podId} did not ${phase} within ${timeoutMs} ms`, {
          hint: phase === 'start' ? 'a large image or a busy GPU type can take long: raise `startTimeoutMs`' : 'raise `runTimeoutMs`',
        });
      await sleep(Math.min(wait, left), undefined, signal ? { signal } : {});
      wait = Math.min(this.options.maxPollMs, Math.ceil(wait * 1.5));
    }
  }
}
