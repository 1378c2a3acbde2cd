import fastifySwagger from '@fastify/swagger';
import { isVhbError } from '@vhb/sdk';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { KeyChecker, loadApiKeys, presentedKey } from './auth.js';
import { type GatewayOptions, parseGatewayOptions } from './config.js';
import { createEngine, type Engine } from './engines/index.js';
import { errorBody, GatewayError } from './errors.js';
import { GpuSampler } from './gpu.js';
import { JsonSchemaChecker } from './json-check.js';
import { Masker, maskingDestination } from './mask.js';
import { GatewayMetrics } from './metrics.js';
import { chatRoute } from './routes/chat.js';
import { controlRoutes } from './routes/control.js';
import { VERSION } from './version.js';

/** A running gateway. */
export interface Gateway {
  /** The Fastify instance (for `inject` in tests, or more routes). */
  app: FastifyInstance;
  /** `http://host:port` it listens on (the real port when 0 was asked). */
  url: string;
  /** Engines by model name. */
  engines: ReadonlyMap<string, Engine>;
  /** Masks every secret the gateway knows in a text. */
  mask(text: string): string;
  /** Unloads every engine (stopping the processes it started) and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a gateway: validates the options, reads the API keys (refusing to start without one unless
 * `allowNoAuth`), opens the remote engines, loads the models in `load`, and listens.
 */
export async function createGateway(input: GatewayOptions): Promise<Gateway> {
  const options = parseGatewayOptions(input);
  const env = options.env ?? process.env;
  const masker = new Masker();
  const keys = await loadApiKeys({ apiKeys: options.apiKeys, apiKeyFile: options.apiKeyFile, env });
  if (keys.length === 0 && !options.allowNoAuth) {
    throw new GatewayError('VHB_E_GATEWAY_NO_AUTH', 'no API key is configured: the gateway would serve anyone who reaches it', {
      hint: 'set VHB_GATEWAY_API_KEYS=<key>[,<key>…] or give an API key file; --no-auth (allowNoAuth) serves without one',
    });
  }
  masker.add(...keys);
  const auth = new KeyChecker(keys);

  const logger = pino(
    { level: options.logLevel, base: { service: 'vhb-gateway' }, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] },
    maskingDestination(masker, options.logDestination ?? process.stderr),
  );
  // Fastify's own request logging writes two lines per request (a synchronous write each, on a pipe):
  // off, and one line per request at debug level instead (onResponse below).
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (!auth.enabled) app.log.warn('no API key configured: serving WITHOUT authentication (allowNoAuth)');

  const metrics = new GatewayMetrics();
  const gpu = new GpuSampler(options.nvidiaSmi);
  const engines = new Map<string, Engine>();
  for (const [name, config] of Object.entries(options.engines)) {
    engines.set(name, createEngine({ name, env, datasetRoot: options.datasetRoot, log: app.log.child({ model: name }), masker }, config));
  }

  const models = new WeakMap<FastifyRequest, string>();
  const codes = new WeakMap<FastifyRequest, string>();

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'VLMHyperBench gateway',
        description: 'One OpenAI-compatible API in front of every inference engine',
        version: VERSION,
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ apiKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Hooks in callback style: an async hook costs a promise and a microtask per request.
  if (auth.enabled) {
    app.addHook('onRequest', (request, reply, done) => {
      if ((request.routeOptions.config as { public?: boolean } | undefined)?.public || auth.check(presentedKey(request.headers))) {
        done();
        return;
      }
      codes.set(request, 'VHB_E_GATEWAY_UNAUTHORIZED');
      reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody('VHB_E_GATEWAY_UNAUTHORIZED', 'missing or wrong API key', 'send X-API-Key: <key> or Authorization: Bearer <key>'));
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    if (logger.isLevelEnabled('debug')) {
      request.log.debug(
        { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 1000) / 1000 },
        'request completed',
      );
    }
    if (request.routeOptions.url === '/v1/chat/completions') {
      const model = models.get(request) ?? '(unknown)';
      metrics.requests.inc({ model, status: String(reply.statusCode) });
      if (reply.statusCode >= 400) metrics.errors.inc({ model, code: codes.get(request) ?? 'VHB_E_GATEWAY_INTERNAL' });
    }
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let code: string;
    let message: string;
    let hint: string | undefined;
    let headers: Record<string, string> = {};
    if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400;
      code = 'VHB_E_GATEWAY_REQUEST';
      const issues = error.validation.map((issue) => `${issue.instancePath || '(body)'}: ${issue.message}`);
      message = `the request ${error.validationContext ?? 'body'} is invalid: ${issues.join('; ')}`;
      hint = 'see GET /openapi.json for the route schema';
    } else if (error instanceof GatewayError) {
      ({ status, code, message, hint, headers } = error);
    } else if (isVhbError(error)) {
      status = 500;
      ({ code, message, hint } = error);
    } else if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      status = error.statusCode;
      code = 'VHB_E_GATEWAY_REQUEST';
      message = error.message;
    } else {
      status = 500;
      code = 'VHB_E_GATEWAY_INTERNAL';
      message = `internal error: ${error.message}`;
      hint = 'see the gateway log';
    }
    message = masker.mask(message);
    codes.set(request, code);
    if (status >= 500) request.log.error({ code, status, err: error }, message);
    else request.log.info({ code, status }, message);
    return reply
      .code(status)
      .headers(headers)
      .send(errorBody(code, message, hint && masker.mask(hint)));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody('VHB_E_GATEWAY_REQUEST', `no route ${request.method} ${request.url.split('?')[0]}`, 'GET /openapi.json lists the routes'),
      ),
  );

  chatRoute(app, { engines, checker: new JsonSchemaChecker(), metrics, gpu, masker, tag: (request, model) => models.set(request, model) });
  controlRoutes(app, engines, metrics);

  const unloadAll = async () => {
    await Promise.allSettled([...engines.values()].map((engine) => engine.unload()));
  };
  app.addHook('onClose', unloadAll);

  try {
    // Remote engines run on their own: opening their pool is all loading does.
    for (const engine of engines.values()) {
      if (engine.kind === 'openai')
        await engine.load().catch((error: Error) => app.log.warn({ model: engine.name }, masker.mask(error.message)));
    }
    for (const name of options.load) {
      const engine = engines.get(name);
      if (!engine) {
        throw new GatewayError('VHB_E_GATEWAY_CONFIG', `cannot load model "${name}" at start: it is not configured`, {
          hint: `configured models: ${[...engines.keys()].join(', ') || 'none'}`,
        });
      }
      await engine.load();
    }
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    if (isVhbError(error)) error.message = masker.mask(error.message);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    app,
    url: `http://${host}:${port}`,
    engines,
    mask: (text) => masker.mask(text),
    close: () => app.close(),
  };
}
