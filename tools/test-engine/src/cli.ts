import { parseArgs } from 'node:util';
import { startTestEngine } from './engine.js';
import type { TestEngine } from './types.js';

export const USAGE = `Usage: vhb-test-engine [--host 127.0.0.1] [--port 8000] [--ttft-ms 0] [--token-delay-ms 0] [--api-key-env NAME] [--model NAME ...] [--log-first-content]

A fake OpenAI-compatible chat completions server for tests and benchmarks. It answers
"echo: <last user message>" word by word and serves until SIGINT or SIGTERM.

  --host            address to listen on (default 127.0.0.1)
  --port            port (default 8000; 0 picks a free one)
  --ttft-ms         milliseconds before the first content chunk (default 0)
  --token-delay-ms  milliseconds between content chunks (default 0)
  --api-key-env     require Authorization: Bearer <the value of this environment variable>
  --model           a model listed by GET /v1/models (repeatable; default test-model)
  --log-first-content  print a JSON line per streamed answer as its first content chunk is
                    written: {"firstContent":{"prompt","dueMs","lateMs"}} (how late against --ttft-ms)
  --help            print this and exit`;

function number(flag: string, value: string | undefined, fallback: number, max = Number.POSITIVE_INFINITY): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > max) {
    throw new Error(`--${flag} must be a number from 0 to ${max}, got "${value}".`);
  }
  return parsed;
}

/**
 * Runs the bin: parses `argv` (without node and the script), starts the engine and prints its base URL.
 * Returns the engine, or undefined after --help. Throws an Error with a readable message on bad flags.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = console.log,
): Promise<TestEngine | undefined> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'ttft-ms': { type: 'string' },
      'token-delay-ms': { type: 'string' },
      'api-key-env': { type: 'string' },
      model: { type: 'string', multiple: true },
      'log-first-content': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    print(USAGE);
    return undefined;
  }
  const keyVar = values['api-key-env'];
  const apiKey = keyVar === undefined ? undefined : env[keyVar];
  if (keyVar !== undefined && !apiKey) {
    throw new Error(`--api-key-env ${keyVar}: the environment variable ${keyVar} is not set or empty; export it or drop the flag.`);
  }
  const engine = await startTestEngine({
    host: values.host ?? '127.0.0.1',
    port: number('port', values.port, 8000, 65535),
    apiKey,
    models: values.model,
    record: false,
    ...(values['log-first-content'] ? { onFirstContent: (event) => print(JSON.stringify({ firstContent: event })) } : {}),
    behaviour: { ttftMs: number('ttft-ms', values['ttft-ms'], 0), tokenDelayMs: number('token-delay-ms', values['token-delay-ms'], 0) },
  });
  print(`test engine listening on ${engine.baseUrl}`);
  return engine;
}
