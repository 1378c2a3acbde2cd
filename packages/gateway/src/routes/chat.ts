import { PassThrough } from 'node:stream';
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type ChatRequest, chatRequestSchema, requestedSchema } from '../chat-schema.js';
import { CallCancel, type Engine } from '../engines/index.js';
import { errorBody, GatewayError } from '../errors.js';
import type { GpuSampler } from '../gpu.js';
import type { JsonSchemaChecker } from '../json-check.js';
import { withField } from '../json-field.js';
import type { Masker } from '../mask.js';
import type { GatewayMetrics } from '../metrics.js';
import { sseEvent } from '../sse.js';
import { computeTiming, type RequestTiming } from '../timing.js';

export interface ChatDeps {
  engines: Map<string, Engine>;
  checker: JsonSchemaChecker;
  metrics: GatewayMetrics;
  gpu: GpuSampler;
  masker: Masker;
  /** Remembers the model of a request, for the request counters. */
  tag(request: FastifyRequest, model: string): void;
}

type Usage = { prompt_tokens?: number; completion_tokens?: number } | undefined;
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** `POST /v1/chat/completions`: OpenAI's route, proxied to the model's engine, with timing (`vhb`) added. */
export function chatRoute(app: FastifyInstance, deps: ChatDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/chat/completions',
    {
      schema: {
        summary: 'Chat completion (OpenAI-compatible), streamed (SSE) or not; the answer carries a `vhb` timing object',
        tags: ['data plane'],
        body: chatRequestSchema,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const engine = deps.engines.get(body.model);
      if (!engine) {
        throw new GatewayError('VHB_E_GATEWAY_MODEL_UNKNOWN', `model "${body.model}" is not served by this gateway`, {
          hint: `GET /v1/models lists the models (${[...deps.engines.keys()].join(', ') || 'none configured'})`,
        });
      }
      deps.tag(request, engine.name);
      const schema = requestedSchema(body);
      const validate = schema ? deps.checker.compile(schema) : undefined;
      const cancel = new CallCancel();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) cancel.cancel();
      });
      if (body.stream) return streamed(deps, engine, body, validate, cancel, reply);

      const started = performance.now();
      const { json, text } = await engine.complete(body, cancel);
      const latencyMs = performance.now() - started;
      const usage = json.usage as Usage;
      const content = (json.choices as { message?: { content?: unknown } }[] | undefined)?.[0]?.message?.content;
      const timing = computeTiming({
        model: engine.name,
        engine: engine.kind,
        latencyMs,
        ttftMs: null,
        promptTokens: count(usage?.prompt_tokens),
        completionTokens: count(usage?.completion_tokens),
        gpuMemoryMb: deps.gpu.enabled ? await deps.gpu.sample() : null,
      });
      check(deps, validate, typeof content === 'string' ? content : '', timing);
      deps.metrics.observe(engine.name, timing);
      // The engine's own JSON goes on as it came, `vhb` added at its end: no second serialisation.
      const passed = text === undefined || json.vhb !== undefined ? undefined : withField(text, 'vhb', timing);
      if (passed === undefined) return { ...json, vhb: timing };
      return reply.type('application/json; charset=utf-8').send(passed);
    },
  );
}

function check(deps: ChatDeps, validate: ValidateFunction | undefined, text: string, timing: RequestTiming): void {
  if (!validate) return;
  const result = deps.checker.check(validate, text);
  timing.json_valid = result.valid;
  if (!result.valid) timing.json_errors = result.errors;
}

/**
 * Streams the engine's events to the client as they come (one SSE event at a time), measuring the
 * first content delta; then a last chunk with the `vhb` timing, then `[DONE]`. The engine is always
 * asked for usage; its usage-only chunk reaches the client only when the client asked for it.
 */
async function streamed(
  deps: ChatDeps,
  engine: Engine,
  body: ChatRequest,
  validate: ValidateFunction | undefined,
  cancel: CallCancel,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const started = performance.now();
  const events = await engine.stream(body, cancel);
  const wantsUsage = body.stream_options?.include_usage === true;
  const out = new PassThrough();
  reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
  void reply.send(out);

  void (async () => {
    let ttftMs: number | null = null;
    let chunks = 0;
    let content = '';
    let usage: Usage;
    let head = { id: `chatcmpl-${Date.now()}`, created: Math.floor(Date.now() / 1000), model: engine.name };
    let first = true;
    try {
      for await (const data of events) {
        if (data === '[DONE]') break;
        let parsed: { id?: string; created?: number; model?: string; usage?: Usage; choices?: { delta?: { content?: unknown } }[] };
        try {
          parsed = JSON.parse(data);
        } catch {
          out.write(sseEvent(data));
          continue;
        }
        if (first) {
          head = { id: parsed.id ?? head.id, created: parsed.created ?? head.created, model: parsed.model ?? head.model };
          first = false;
        }
        if (parsed.usage) usage = parsed.usage;
        const delta = parsed.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta.length > 0) {
          if (ttftMs === null) ttftMs = performance.now() - started;
          chunks++;
          content += delta;
        }
        if (!wantsUsage && Array.isArray(parsed.choices) && parsed.choices.length === 0 && parsed.usage) continue;
        out.write(sseEvent(data));
      }
      const latencyMs = performance.now() - started;
      const timing = computeTiming({
        model: engine.name,
        engine: engine.kind,
        latencyMs,
        ttftMs,
        promptTokens: count(usage?.prompt_tokens),
        completionTokens: count(usage?.completion_tokens) ?? chunks,
        gpuMemoryMb: deps.gpu.enabled ? await deps.gpu.sample() : null,
      });
      check(deps, validate, content, timing);
      deps.metrics.observe(engine.name, timing);
      out.write(sseEvent(JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [], vhb: timing })));
      out.write(sseEvent('[DONE]'));
    } catch (error) {
      if (cancel.cancelled) return;
      const code = error instanceof GatewayError ? error.code : 'VHB_E_GATEWAY_UPSTREAM';
      const message = deps.masker.mask(`the stream of model "${engine.name}" broke: ${(error as Error).message}`);
      deps.metrics.errors.inc({ model: engine.name, code });
      reply.log.warn({ model: engine.name, code }, message);
      out.write(sseEvent(JSON.stringify(errorBody(code, message, 'retry the request'))));
      out.write(sseEvent('[DONE]'));
    } finally {
      out.end();
    }
  })();
  return reply;
}
