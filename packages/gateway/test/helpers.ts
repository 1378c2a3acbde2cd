import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestEngine, type TestEngine, type TestEngineOptions } from '@vhb-tools/test-engine';
import { createGateway, type Gateway, type GatewayOptions } from '../src/index.js';

export const KEY = 'gw-key-0123456789';
export const DATASET_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'datasets', 'synthdoc');

/** The test engine's bin, run with node: the stand-in for `vllm serve`. */
export function testEngineBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vhb-tools/test-engine')), 'bin.js');
}

/** Log lines of a gateway, as its pino destination received them. */
export function logCollector(): { lines: string[]; write(line: string): void; text(): string } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line), text: () => lines.join('') };
}

export interface Setup {
  engine: TestEngine;
  gateway: Gateway;
  logs: ReturnType<typeof logCollector>;
  close(): Promise<void>;
}

/** A test engine and a gateway in front of it (model "m" → the engine), both on free ports. */
export async function setup(engineOptions: TestEngineOptions = {}, gatewayOptions: Partial<GatewayOptions> = {}): Promise<Setup> {
  const engine = await startTestEngine({ models: ['engine-model'], ...engineOptions });
  const logs = logCollector();
  const gateway = await createGateway({
    port: 0,
    apiKeys: [KEY],
    engines: { m: { kind: 'openai', baseUrl: engine.baseUrl, modelId: 'engine-model' } },
    datasetRoot: DATASET_ROOT,
    logDestination: logs,
    nvidiaSmi: null,
    ...gatewayOptions,
  });
  return {
    engine,
    gateway,
    logs,
    close: async () => {
      await gateway.close();
      await engine.close();
    },
  };
}

export const auth = { 'x-api-key': KEY, 'content-type': 'application/json' };

export function chat(gateway: Gateway, body: Record<string, unknown>, headers: Record<string, string> = auth): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
}

export const userMessage = (text: string) => [{ role: 'user', content: text }];

/** The `data` of each SSE event of a streamed answer, read as it arrives, with the time each came. */
export async function readSse(response: Response): Promise<{ data: string; at: number }[]> {
  const events: { data: string; at: number }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      events.push({ data, at: performance.now() });
      end = buffer.indexOf('\n\n');
    }
  }
  return events;
}
