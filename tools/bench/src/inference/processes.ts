/**
 * The servers of `bench:inference`, each in its own Node process as in real use: the test engine
 * (its bin, which records nothing), the gateway (a small script calling `createGateway`) and a bare
 * proxy (`node:http` + an undici Pool passing bytes on: what any gateway written in Node costs at least).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A server running in a child process. */
export interface ServerProcess {
  /** The base URL OpenAI clients take (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  pid: number;
  /** What it printed on stdout so far (the engine's --log-first-content lines, for one). */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** The main entry of an installed workspace package, as a path. */
function entryOf(name: string): string {
  return realpathSync(createRequire(import.meta.url).resolve(name));
}

/** Starts `node <script> ...args`, waits for the line `... listening on <url>` on its stdout. */
async function startChild(what: string, script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  let stderr = '';
  // Drain both pipes for the whole life of the child, so its logging never blocks it.
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${what} did not start within 30 s`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = /listening on (\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${what} exited (status ${code}) before listening: ${stderr.trim().slice(-500)}`)));
  });
  return { baseUrl, pid: child.pid as number, output: () => output, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The test engine's bin (`vhb-test-engine`, `record` off) on a free port; `logFirstContent` adds its --log-first-content lines. */
export function startEngineProcess(
  options: { ttftMs?: number; tokenDelayMs?: number; logFirstContent?: boolean } = {},
): Promise<ServerProcess> {
  const bin = join(dirname(entryOf('@vhb-tools/test-engine')), 'bin.js');
  const args = ['--port', '0', '--ttft-ms', String(options.ttftMs ?? 0), '--token-delay-ms', String(options.tokenDelayMs ?? 0)];
  if (options.logFirstContent) args.push('--log-first-content');
  return startChild('the test engine', bin, args);
}

/** The script the gateway process runs: `createGateway` with one `openai` engine, no auth, the default (info) log level. */
function gatewayScript(): string {
  const gateway = pathToFileURL(entryOf('@vhb/gateway')).href;
  return `import { createGateway } from ${JSON.stringify(gateway)};
const [engineUrl, model] = process.argv.slice(2);
const gateway = await createGateway({
  engines: { [model]: { kind: 'openai', baseUrl: engineUrl } },
  host: '127.0.0.1',
  port: 0,
  allowNoAuth: true,
  nvidiaSmi: null,
});
console.log('gateway listening on ' + gateway.url + '/v1');
const stop = () => gateway.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
`;
}

/**
 * The gateway (`@vhb/gateway`) in its own process, serving `model` from the engine at `engineUrl`.
 * Its log (pino JSON on stderr, at `vhb serve`'s default level) is read and dropped.
 */
export async function startGatewayProcess(work: string, engineUrl: string, model: string): Promise<ServerProcess> {
  const script = join(work, 'gateway-child.mjs');
  await writeFile(script, gatewayScript());
  const env = { ...process.env };
  delete env.VHB_GATEWAY_API_KEYS;
  return startChild('the gateway', script, [engineUrl, model], env);
}

/**
 * The script of the bare proxy: `node:http` in front of one undici Pool to the engine. Each request's
 * body goes to the engine as it came, and the engine's answer comes back with its status and content
 * type; nothing is parsed, checked, timed, logged or counted. It is the floor of any gateway in Node:
 * one read and one write per request on each side, and the HTTP parsing of both.
 */
function proxyScript(): string {
  const undici = pathToFileURL(entryOf('undici')).href;
  return `import { createServer } from 'node:http';
import { Pool } from ${JSON.stringify(undici)};
const engine = new URL(process.argv[2]);
const pool = new Pool(engine.origin, { connections: 64 });
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    pool.request({ path: req.url, method: 'POST', headers, body }).then(
      async (answer) => {
        const bytes = Buffer.from(await answer.body.arrayBuffer());
        res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] ?? 'application/json', 'content-length': bytes.length });
        res.end(bytes);
      },
      (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      },
    );
  });
});
server.listen(0, '127.0.0.1', () => console.log('proxy listening on http://127.0.0.1:' + server.address().port + '/v1'));
process.once('SIGTERM', () => {
  server.close(() => pool.close().then(() => process.exit(0)));
  server.closeAllConnections();
});
`;
}

/** The bare proxy ({@link proxyScript}) in its own process, in front of the engine at `engineUrl`. */
export async function startProxyProcess(work: string, engineUrl: string): Promise<ServerProcess> {
  const script = join(work, 'proxy-child.mjs');
  await writeFile(script, proxyScript());
  return startChild('the bare proxy', script, [engineUrl]);
}
