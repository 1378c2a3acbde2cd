/**
 * A simulated GPU for `bench:queue`: an OpenAI-compatible chat endpoint (non-streamed replies) that
 * serves `slots` requests at a time, each for `serviceMs`, and queues the rest in arrival order, as
 * an inference server's batch slots do. Its throughput is capped at `slots / serviceMs` whoever
 * asks. Service runs on its own clock, as a GPU's does: a request starts when it arrives or when
 * its slot's previous request ends (on paper), whichever is later, and ends `serviceMs` after; a
 * timer that fires late on a loaded machine delays that reply but not the next request's service.
 * Plain timers, no polling: it costs next to no CPU, so the benchmark's cores go to the workers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultAnswer } from '@vhb-tools/test-engine';

export interface SimulatedGpu {
  /** `http://127.0.0.1:PORT/v1`, what OpenAI clients take. */
  baseUrl: string;
  /** Requests answered, and the most that were ever waiting or in service at once. */
  counts: { completions: number; peakInService: number; peakQueued: number };
  reset(): void;
  close(): Promise<void>;
}

export async function startSimulatedGpu(options: { serviceMs: number; slots: number }): Promise<SimulatedGpu> {
  const counts = { completions: 0, peakInService: 0, peakQueued: 0 };
  /** When each slot's last request ends, on the GPU's clock (ms, performance.now()). */
  const freeAt: number[] = Array(options.slots).fill(0);
  /** End times of the requests taken and not yet answered, to count those in service and waiting. */
  const ends: number[] = [];
  let seq = 0;

  const take = (res: ServerResponse, model: string, answer: string): void => {
    const now = performance.now();
    let slot = 0;
    for (let i = 1; i < freeAt.length; i += 1) if ((freeAt[i] as number) < (freeAt[slot] as number)) slot = i;
    const start = Math.max(now, freeAt[slot] as number);
    const end = start + options.serviceMs;
    freeAt[slot] = end;
    ends.push(end);
    const inService = ends.filter((e) => e - options.serviceMs <= now && e > now).length;
    counts.peakInService = Math.max(counts.peakInService, inService);
    counts.peakQueued = Math.max(counts.peakQueued, ends.length - inService);
    setTimeout(() => {
      ends.splice(ends.indexOf(end), 1);
      if (res.destroyed) return;
      const body = JSON.stringify({
        id: `chatcmpl-gpu-${++seq}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      counts.completions += 1;
    }, end - now);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found"}}');
      return;
    }
    let body: { model?: string; messages?: unknown[] };
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bad JSON"}}');
      return;
    }
    take(res, body.model ?? 'test-model', defaultAnswer(body as Parameters<typeof defaultAnswer>[0]));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString()));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    counts,
    reset() {
      counts.completions = 0;
      counts.peakInService = 0;
      counts.peakQueued = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
