import { z } from '@vhb/sdk';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Engine } from '../engines/index.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics.js';

const modelBody = z.strictObject({ model: z.string().min(1).describe('A model name from GET /v1/models') });

const engineInfo = z.object({
  engine: z.enum(['openai', 'command', 'adapter']),
  state: z.enum(['unloaded', 'loading', 'loaded', 'failed']),
  error: z.string().optional(),
});

const modelEntry = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number(),
  owned_by: z.string(),
  vhb: engineInfo,
});

const stateReply = z.object({
  model: z.string(),
  engine: z.enum(['openai', 'command', 'adapter']),
  state: z.enum(['unloaded', 'loading', 'loaded', 'failed']),
  load_ms: z.number().optional(),
});

const started = Math.floor(Date.now() / 1000);

function info(engine: Engine): z.infer<typeof engineInfo> {
  return {
    engine: engine.kind,
    state: engine.state,
    ...(engine.state === 'failed' && engine.lastError ? { error: engine.lastError } : {}),
  };
}

function find(engines: Map<string, Engine>, model: string): Engine {
  const engine = engines.get(model);
  if (engine) return engine;
  throw new GatewayError('VHB_E_GATEWAY_MODEL_UNKNOWN', `model "${model}" is not served by this gateway`, {
    hint: `GET /v1/models lists the models (${[...engines.keys()].join(', ') || 'none configured'})`,
  });
}

/** The control plane: models and their engines, health, metrics, and the OpenAPI document. */
export function controlRoutes(app: FastifyInstance, engines: Map<string, Engine>, metrics: GatewayMetrics): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/v1/models',
    {
      schema: {
        summary: 'Every configured model, loaded or not (OpenAI list format; `vhb` says the engine and its state)',
        tags: ['control plane'],
        response: { 200: z.object({ object: z.literal('list'), data: z.array(modelEntry) }) },
      },
    },
    async () => ({
      object: 'list' as const,
      data: [...engines.values()].map((engine) => ({
        id: engine.name,
        object: 'model' as const,
        created: started,
        owned_by: 'vhb',
        vhb: info(engine),
      })),
    }),
  );

  typed.post(
    '/v1/models/load',
    {
      schema: {
        summary:
          'Loads a model: starts its engine (command), opens its session (adapter) or its connection pool (openai), and waits until it answers',
        tags: ['control plane'],
        body: modelBody,
        response: { 200: stateReply },
      },
    },
    async (request) => {
      const engine = find(engines, request.body.model);
      const t0 = performance.now();
      try {
        await engine.load();
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        throw new GatewayError('VHB_E_GATEWAY_LOAD', `model "${engine.name}" failed to load: ${(error as Error).message}`, {
          hint: 'see the gateway log',
          cause: error,
        });
      }
      return { model: engine.name, engine: engine.kind, state: engine.state, load_ms: Math.round(performance.now() - t0) };
    },
  );

  typed.post(
    '/v1/models/unload',
    {
      schema: {
        summary: 'Unloads a model: stops its engine process (SIGTERM, then SIGKILL after the grace period) or closes its session',
        tags: ['control plane'],
        body: modelBody,
        response: { 200: stateReply },
      },
    },
    async (request) => {
      const engine = find(engines, request.body.model);
      await engine.unload();
      return { model: engine.name, engine: engine.kind, state: engine.state };
    },
  );

  typed.get(
    '/health',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness of the gateway (no API key needed), with the number of models loaded',
        tags: ['control plane'],
        response: { 200: z.object({ status: z.literal('ok'), models: z.object({ configured: z.number(), loaded: z.number() }) }) },
      },
    },
    async () => ({
      status: 'ok' as const,
      models: { configured: engines.size, loaded: [...engines.values()].filter((e) => e.state === 'loaded').length },
    }),
  );

  typed.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['control plane'] } },
    async (_request, reply) => {
      for (const engine of engines.values())
        metrics.loaded.set({ model: engine.name, engine: engine.kind }, engine.state === 'loaded' ? 1 : 0);
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );

  typed.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}
