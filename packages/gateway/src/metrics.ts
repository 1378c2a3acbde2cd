import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestTiming } from './timing.js';

/** Seconds buckets for latency (up to minutes: long generations) and for TTFT/TPOT (down to a millisecond). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TOKEN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's Prometheus series, in a registry of its own (several gateways in one process do not clash). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'vhb_gateway_requests_total',
    help: 'Chat completion requests, by model and HTTP status',
    labelNames: ['model', 'status'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'vhb_gateway_errors_total',
    help: 'Failed chat completion requests, by model and error code',
    labelNames: ['model', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'vhb_gateway_request_duration_seconds',
    help: 'Latency of answered chat completions, request to last byte from the engine',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly ttft = new Histogram({
    name: 'vhb_gateway_ttft_seconds',
    help: 'Time to first content token of streamed chat completions',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly tpot = new Histogram({
    name: 'vhb_gateway_tpot_seconds',
    help: 'Time per output token after the first, of streamed chat completions',
    labelNames: ['model'] as const,
    buckets: TOKEN_BUCKETS,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'vhb_gateway_tokens_total',
    help: 'Tokens processed, by model and type (prompt | completion)',
    labelNames: ['model', 'type'] as const,
    registers: [this.registry],
  });
  readonly jsonInvalid = new Counter({
    name: 'vhb_gateway_json_invalid_total',
    help: 'Answers that failed their response_format json_schema',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  readonly gpuMemory = new Gauge({
    name: 'vhb_gateway_gpu_memory_used_mb',
    help: 'GPU memory in use at the last sample (nvidia-smi), in MiB',
    registers: [this.registry],
  });
  readonly loaded = new Gauge({
    name: 'vhb_gateway_model_loaded',
    help: '1 when the model engine is loaded, else 0',
    labelNames: ['model', 'engine'] as const,
    registers: [this.registry],
  });

  /** Records the timing of one answered request. */
  observe(model: string, timing: RequestTiming): void {
    this.latency.observe({ model }, timing.latency_ms / 1000);
    if (timing.ttft_ms !== null) this.ttft.observe({ model }, timing.ttft_ms / 1000);
    if (timing.tpot_ms !== null) this.tpot.observe({ model }, timing.tpot_ms / 1000);
    if (timing.prompt_tokens !== null) this.tokens.inc({ model, type: 'prompt' }, timing.prompt_tokens);
    if (timing.completion_tokens !== null) this.tokens.inc({ model, type: 'completion' }, timing.completion_tokens);
    if (timing.gpu_memory_mb !== null) this.gpuMemory.set(timing.gpu_memory_mb);
    if (timing.json_valid === false) this.jsonInvalid.inc({ model });
  }
}
