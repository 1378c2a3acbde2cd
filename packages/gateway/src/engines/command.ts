import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { API_KEYS_ENV } from '../auth.js';
import type { CommandEngineConfig } from '../config.js';
import { GatewayError } from '../errors.js';
import { assertDockerCli, containerName, dockerRunArgv, removeContainer } from './container.js';
import type { EngineContext } from './engine.js';
import { HttpEngine } from './http-engine.js';

const POLL_MS = 250;
const TAIL_LINES = 20;

/** A free TCP port on `host`, found by listening on port 0. */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * An engine the gateway runs as a child process (`vllm serve …`, `python -m sglang.launch_server …`):
 * load starts it and polls its health endpoint, unload sends SIGTERM to its process group and SIGKILL
 * after the grace period. Its output goes to the gateway log, line by line, masked.
 */
export class CommandEngine extends HttpEngine {
  readonly kind = 'command' as const;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private readonly tail: string[] = [];
  private stopping = false;
  /** Port of the running process, once started. */
  port: number | undefined;

  constructor(
    ctx: EngineContext,
    private readonly config: CommandEngineConfig,
  ) {
    super(ctx, config);
  }

  /** The process environment: the gateway's (without its own keys); every named variable must be set, and is masked. */
  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.ctx.env };
    delete env[API_KEYS_ENV];
    const missing = this.config.env.filter((name) => !this.ctx.env[name]);
    if (missing.length) {
      throw new GatewayError(
        'VHB_E_GATEWAY_ENV',
        `model "${this.name}" needs ${missing.join(', ')} in the environment, which ${missing.length > 1 ? 'are' : 'is'} not set`,
        {
          hint: `export ${missing.map((name) => `${name}=…`).join(' ')} before starting the gateway`,
        },
      );
    }
    this.ctx.masker.add(...this.config.env.map((name) => this.ctx.env[name]));
    return env;
  }

  protected async start(): Promise<void> {
    const env = this.environment();
    const apiKey = this.apiKey(); // fails before anything starts when the key variable is not set
    const port = this.config.port || (await freePort(this.config.host));
    this.port = port;
    const fill = (arg: string) => arg.replaceAll('{port}', String(port)).replaceAll('{host}', this.config.host);
    const container = this.config.container;
    if (container) assertDockerCli(this.name, container.docker, env);
    const command = this.config.command.map(fill);
    const [program, ...args] = (container ? dockerRunArgv(this.name, this.config, container, port, command) : command) as [
      string,
      ...string[],
    ];
    this.tail.length = 0;
    this.stopping = false;
    this.ctx.log.info({ model: this.name, port }, `starting engine: ${[program, ...args].join(' ')}`);
    const child = spawn(program, args, {
      env,
      cwd: this.config.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    this.child = child;
    const failedToSpawn = once(child, 'error').then(([error]) => error as Error);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => this.onExit(code, signal));
    for (const [stream, source] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      if (!source) continue;
      createInterface({ input: source }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        this.ctx.log.info({ model: this.name, stream }, line);
      });
    }
    const origin = `http://${this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host}:${port}`;
    await this.waitHealthy(origin, failedToSpawn, apiKey);
    this.connect(`${origin}${this.config.apiPath}`);
    this.ctx.log.info({ model: this.name, port }, 'engine is healthy');
  }

  private async waitHealthy(origin: string, failedToSpawn: Promise<Error>, apiKey: string | undefined): Promise<void> {
    const pool = new Pool(origin, { connections: 1 });
    const deadline = Date.now() + this.config.startupTimeoutMs;
    let spawnError: Error | undefined;
    void failedToSpawn.then((error) => {
      spawnError = error;
    });
    try {
      while (true) {
        if (spawnError) {
          throw new GatewayError(
            'VHB_E_GATEWAY_LOAD',
            `model "${this.name}": cannot start ${this.config.container?.docker ?? this.config.command[0]}: ${spawnError.message}`,
            {
              hint: 'check that the program is installed and on PATH',
              cause: spawnError,
            },
          );
        }
        if (this.child?.exitCode !== null || this.child?.signalCode !== null) {
          throw new GatewayError(
            'VHB_E_GATEWAY_LOAD',
            `model "${this.name}": the engine exited (${this.child?.exitCode ?? this.child?.signalCode}) before it was healthy${this.tailText()}`,
            {
              hint: 'read the engine output above; fix its command or environment',
            },
          );
        }
        try {
          // vLLM and SGLang leave /health open; engines that guard it get the key.
          const headers = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
          const response = await pool.request({
            path: this.config.healthPath,
            method: 'GET',
            headers,
            headersTimeout: 2000,
            bodyTimeout: 2000,
          });
          await response.body.dump();
          if (response.statusCode === 200) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() >= deadline) {
          throw new GatewayError(
            'VHB_E_GATEWAY_LOAD',
            `model "${this.name}": the engine did not answer ${this.config.healthPath} within ${this.config.startupTimeoutMs} ms${this.tailText()}`,
            {
              hint: 'raise startup_timeout_ms for large models, or check the health path',
            },
          );
        }
        await sleep(POLL_MS);
      }
    } finally {
      await pool.close();
    }
  }

  private tailText(): string {
    return this.tail.length ? `; last output:\n${this.ctx.masker.mask(this.tail.join('\n'))}` : '';
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    if (this.state === 'loaded') {
      this.state = 'failed';
      this.lastError = `the engine exited (${code ?? signal}) while loaded${this.tailText()}`;
      this.ctx.log.error({ model: this.name, code, signal }, 'engine exited while loaded');
      void this.disconnect();
    }
  }

  protected async stop(): Promise<void> {
    this.stopping = true;
    await this.disconnect();
    try {
      await this.stopProcess();
    } finally {
      await this.removeContainer();
    }
  }

  /** The docker client passes SIGTERM on to the container, but a SIGKILLed client (or a failed start) leaves it running. */
  private async removeContainer(): Promise<void> {
    const container = this.config.container;
    if (!container || this.port === undefined) return;
    const name = containerName(this.name, this.port);
    const env = { ...this.ctx.env };
    delete env[API_KEYS_ENV];
    if (!(await removeContainer(container.docker, name, env, this.config.stopGraceMs))) {
      this.ctx.log.warn({ model: this.name }, `container ${name} is still there after docker rm -f`);
    }
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        // The whole process group: vLLM and SGLang start workers of their own.
        if (process.platform !== 'win32') process.kill(-child.pid!, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal);
      }
    };
    kill('SIGTERM');
    const exited = this.exited ?? Promise.resolve();
    const graceful = await Promise.race([exited.then(() => true), sleep(this.config.stopGraceMs).then(() => false)]);
    if (!graceful) {
      this.ctx.log.warn({ model: this.name }, `engine did not stop within ${this.config.stopGraceMs} ms of SIGTERM: sending SIGKILL`);
      kill('SIGKILL');
      await exited;
    }
    this.ctx.log.info({ model: this.name }, 'engine stopped');
  }
}
