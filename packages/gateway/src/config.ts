import type { AdapterPlugin } from '@vhb/sdk';
import { z } from '@vhb/sdk';
import { GatewayError } from './errors.js';
import type { LogDestination } from './mask.js';

/** An environment variable name: keys and engine settings are named, never written into configuration. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name like VLLM_API_KEY');

/** Fields every HTTP engine (remote or started by the gateway) shares. */
const httpFields = {
  /** Model id the engine serves (sent as `model`); default: the gateway's model name. */
  modelId: z.string().min(1).optional(),
  /** NAME of the environment variable holding the engine's API key (sent as `Authorization: Bearer`). */
  apiKeyEnv: envName.optional(),
  /** Whether the engine takes `response_format: json_schema` (vLLM, SGLang, OpenAI do); when false it is not sent, but answers are still checked. */
  jsonSchema: z.boolean().default(true),
  /** Longest wait for the engine's answer (headers, then the whole body), in ms. */
  timeoutMs: z.number().int().positive().default(600_000),
  /** Connections in the engine's undici Pool. */
  connections: z.number().int().positive().default(64),
};

/** A remote OpenAI-compatible server (vLLM, SGLang, TGI, LMDeploy, Ollama, OpenAI) that is already running. */
export const openaiEngineSchema = z.strictObject({
  kind: z.literal('openai'),
  /** Base URL including the API prefix, e.g. `http://gpu-box:8000/v1`. */
  baseUrl: z.url(),
  ...httpFields,
});

/** Runs a command engine inside a Docker container (through the docker CLI, which honours DOCKER_HOST). */
export const containerSchema = z.strictObject({
  /** Image holding the engine (e.g. `vllm/vllm-openai:v0.6.3`). */
  image: z.string().min(1),
  /** NVIDIA GPUs the container gets: a count, or `all`. None when absent. */
  gpus: z.union([z.number().int().positive(), z.literal('all')]).optional(),
  /** Host paths the container sees (model weights, caches); `target` defaults to the same path. */
  mounts: z
    .array(
      z.strictObject({ source: z.string().min(1), target: z.string().startsWith('/').optional(), readOnly: z.boolean().default(false) }),
    )
    .default([]),
  /** Only `host` can serve (the gateway reaches the engine on 127.0.0.1:<port>); others are refused at load with a hint. */
  network: z.enum(['host', 'none', 'bridge']).default('host'),
  /** NAMES of more variables passed into the container (`-e NAME`; the engine's `env` and `apiKeyEnv` always are). */
  env: z.array(envName).default([]),
  /** The docker CLI (or a compatible one, e.g. `podman`). */
  docker: z.string().min(1).default('docker'),
});

/** An engine the gateway starts as a child process on load and stops on unload (`vllm serve`, SGLang's launch_server). */
export const commandEngineSchema = z.strictObject({
  kind: z.literal('command'),
  /** Program and arguments; `{port}` and `{host}` are filled in, e.g. `["vllm", "serve", "Qwen/Qwen2-VL-7B-Instruct", "--port", "{port}"]`. */
  command: z
    .array(z.string())
    .min(1)
    .refine((command) => Boolean(command[0]), 'the first item (the program) must not be empty'),
  /** Port the engine listens on; 0 (default): a free port picked at load. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  /** Path polled until it answers 200 (vLLM and SGLang: `/health`). */
  healthPath: z.string().startsWith('/').default('/health'),
  /** API prefix of the engine's OpenAI routes. */
  apiPath: z.string().startsWith('/').default('/v1'),
  /** NAMES of environment variables the engine needs (HF_TOKEN, VLLM_API_KEY...): must be set; their values are masked in logs. */
  env: z.array(envName).default([]),
  /** How long load waits for the health endpoint, in ms (large models take minutes). */
  startupTimeoutMs: z.number().int().positive().default(900_000),
  /** How long unload waits after SIGTERM before SIGKILL, in ms. */
  stopGraceMs: z.number().int().nonnegative().default(10_000),
  /** Working folder of the process; default: the gateway's. */
  cwd: z.string().optional(),
  /** Run the command in a Docker container instead of as a local process. */
  container: containerSchema.optional(),
  ...httpFields,
});

export const isAdapter = (value: unknown): value is AdapterPlugin<any> =>
  typeof value === 'object' &&
  value !== null &&
  (value as AdapterPlugin).kind === 'adapter' &&
  typeof (value as AdapterPlugin).open === 'function';

/** An in-process adapter plugin (e.g. @vhb/adapter-tesseract) served as if it were an engine. */
export const adapterEngineSchema = z.strictObject({
  kind: z.literal('adapter'),
  /** The plugin object (a package's default export), or a function importing it at load (the CLI loads plugins only when asked to). */
  plugin: z.custom<AdapterPlugin<any> | (() => Promise<AdapterPlugin<any>>)>(
    (value) => isAdapter(value) || typeof value === 'function',
    'must be an adapter plugin object (kind "adapter" with an open() hook), or a function returning one',
  ),
  /** NAMES of environment variables holding secrets the adapter reads (its API key): their values are masked in logs. */
  secretEnv: z.array(envName).default([]),
  /** The adapter's options, checked against its own schema at load. */
  options: z.unknown().optional(),
  /** The model id the adapter gets in its context (for tesseract: the languages, e.g. "eng"). */
  modelId: z.string().min(1).optional(),
  endpoint: z.string().optional(),
});

export const engineSchema = z.discriminatedUnion('kind', [openaiEngineSchema, commandEngineSchema, adapterEngineSchema]);
export type EngineConfig = z.output<typeof engineSchema>;
export type EngineConfigInput = z.input<typeof engineSchema>;
export type OpenAIEngineConfig = z.output<typeof openaiEngineSchema>;
export type CommandEngineConfig = z.output<typeof commandEngineSchema>;
export type ContainerConfig = z.output<typeof containerSchema>;
export type AdapterEngineConfig = z.output<typeof adapterEngineSchema>;

const destinationSchema = z.custom<LogDestination>(
  (value) => typeof value === 'object' && value !== null && typeof (value as LogDestination).write === 'function',
  'must have a write(line) method',
);

export const gatewayOptionsSchema = z.strictObject({
  /** Interface to listen on. */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port to listen on; 0: any free port (see `url`). */
  port: z.number().int().min(0).max(65535).default(8080),
  /** Engines by the model name clients send. */
  engines: z.record(z.string().min(1), engineSchema),
  /** Folder image paths in requests are read from (nothing outside it is). Without it, only data URLs are taken. */
  datasetRoot: z.string().min(1).optional(),
  /** API keys; default: `VHB_GATEWAY_API_KEYS` (comma-separated) and the lines of `apiKeyFile`. */
  apiKeys: z.array(z.string().min(1)).optional(),
  /** File with one API key per line (`#` comments and empty lines skipped). */
  apiKeyFile: z.string().min(1).optional(),
  /** Serve without authentication when no key is configured (a warning is logged). */
  allowNoAuth: z.boolean().default(false),
  /** Models to load when the gateway starts. */
  load: z.array(z.string().min(1)).default([]),
  /** The environment keys and engine variables are read from; default: process.env. */
  env: z.record(z.string(), z.string().optional()).optional(),
  /** Log level (pino) and where lines go (default: stderr); every line is masked. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  logDestination: destinationSchema.optional(),
  /** Program sampled for GPU memory; null: never sample. */
  nvidiaSmi: z.string().min(1).nullable().default('nvidia-smi'),
  /** Largest request body, in bytes (images travel as data URLs). */
  bodyLimit: z
    .number()
    .int()
    .positive()
    .default(64 * 2 ** 20),
});
export type GatewayOptions = z.input<typeof gatewayOptionsSchema>;
export type ResolvedGatewayOptions = z.output<typeof gatewayOptionsSchema>;

export function parseGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  const result = gatewayOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`);
  throw new GatewayError('VHB_E_GATEWAY_CONFIG', `gateway options are invalid: ${problems.join('; ')}`, {
    hint: 'fix the engines block (kind openai | command | adapter) or the named option',
  });
}
