import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuSampler } from '../src/index.js';
import { auth, chat, readSse, type Setup, setup, userMessage } from './helpers.js';

describe('/metrics', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.close());

  it('counts requests, errors, tokens and timing after requests', async () => {
    expect((await chat(s.gateway, { model: 'm', messages: userMessage('a b') })).status).toBe(200);
    await readSse(await chat(s.gateway, { model: 'm', stream: true, messages: userMessage('c d e') }));
    s.engine.failNext({ status: 503 });
    expect((await chat(s.gateway, { model: 'm', messages: userMessage('x') })).status).toBe(502);
    expect((await chat(s.gateway, { model: 'm', messages: userMessage('x') }, {})).status).toBe(401);

    const response = await fetch(`${s.gateway.url}/metrics`, { headers: auth });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('vhb_gateway_requests_total{model="m",status="200"} 2');
    expect(text).toContain('vhb_gateway_requests_total{model="m",status="502"} 1');
    expect(text).toContain('vhb_gateway_requests_total{model="(unknown)",status="401"} 1');
    expect(text).toContain('vhb_gateway_errors_total{model="m",code="VHB_E_GATEWAY_UPSTREAM"} 1');
    expect(text).toContain('vhb_gateway_errors_total{model="(unknown)",code="VHB_E_GATEWAY_UNAUTHORIZED"} 1');
    expect(text).toContain('vhb_gateway_request_duration_seconds_count{model="m"} 2');
    // Only the streamed request has a TTFT and a TPOT ("echo: c d e": 4 tokens).
    expect(text).toContain('vhb_gateway_ttft_seconds_count{model="m"} 1');
    expect(text).toContain('vhb_gateway_tpot_seconds_count{model="m"} 1');
    expect(text).toContain('vhb_gateway_ttft_seconds_bucket{le="+Inf",model="m"} 1');
    // Prompt: 2 + 3 words; completion: 3 + 4 chunks.
    expect(text).toContain('vhb_gateway_tokens_total{model="m",type="prompt"} 5');
    expect(text).toContain('vhb_gateway_tokens_total{model="m",type="completion"} 7');
    expect(text).toContain('vhb_gateway_model_loaded{model="m",engine="openai"} 1');
  });

  it('serves an OpenAPI document with every route, without a key', async () => {
    const response = await fetch(`${s.gateway.url}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health',
      '/metrics',
      '/v1/chat/completions',
      '/v1/models',
      '/v1/models/load',
      '/v1/models/unload',
    ]);
    const chatSchema = doc.paths['/v1/chat/completions'].post.requestBody.content['application/json'].schema;
    expect(chatSchema.required).toEqual(expect.arrayContaining(['model', 'messages']));
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', name: 'X-API-Key' });
  });
});

describe('GPU memory', () => {
  it('is null when nvidia-smi is absent, not an error', async () => {
    const sampler = new GpuSampler('/nonexistent/nvidia-smi');
    expect(await sampler.sample()).toBeNull();
    expect(await new GpuSampler(null).sample()).toBeNull();
    const s = await setup({}, { nvidiaSmi: 'vhb-no-such-nvidia-smi' });
    try {
      const body = await (await chat(s.gateway, { model: 'm', messages: userMessage('hi') })).json();
      expect(body.vhb.gpu_memory_mb).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('sums the GPUs of nvidia-smi and samples at most once a second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vhb-gw-smi-'));
    const calls = join(dir, 'calls');
    const smi = join(dir, 'nvidia-smi');
    await writeFile(smi, `#!/bin/sh\necho "$@" >> ${calls}\necho 1024\necho 512\n`);
    await chmod(smi, 0o755);
    const s = await setup({}, { nvidiaSmi: smi });
    try {
      const bodies = [];
      for (let i = 0; i < 4; i++) bodies.push(await (await chat(s.gateway, { model: 'm', messages: userMessage('hi') })).json());
      expect(bodies.map((b) => b.vhb.gpu_memory_mb)).toEqual([1536, 1536, 1536, 1536]);
      const lines = (await readFile(calls, 'utf8')).trim().split('\n');
      expect(lines[0]).toBe('--query-gpu=memory.used --format=csv,noheader,nounits');
      // Four quick requests share one sample (two at most, should the machine be very slow).
      expect(lines.length).toBeLessThanOrEqual(2);
      const metrics = await (await fetch(`${s.gateway.url}/metrics`, { headers: auth })).text();
      expect(metrics).toContain('vhb_gateway_gpu_memory_used_mb 1536');
    } finally {
      await s.close();
    }
  });
});
