import type { AdapterContext } from '../plugins.js';
import { adapterError } from './errors.js';

/** Where requests go: the pool origin, the request path, and a printable URL without credentials. */
export interface Endpoint {
  origin: string;
  path: string;
  url: string;
}

/** Parses a base URL such as http://127.0.0.1:8000/v1; undefined when it is not http(s). */
export function parseEndpoint(base: string): Endpoint | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // The query is kept after the path: some gateways (Azure) version their API with it.
  const path = `${url.pathname.replace(/\/+$/, '')}/chat/completions${url.search}`;
  return { origin: url.origin, path, url: `${url.origin}${path}` };
}

/** The model's `endpoint:` wins over the environment variable `envVar`; empty strings count as unset. */
export function endpointOf(ctx: AdapterContext, envVar: string): string | undefined {
  return ctx.model.endpoint || ctx.env[envVar] || undefined;
}

/** What `unavailable()` says when neither the model entry nor the environment names an endpoint. */
export const noEndpoint = (envVar: string) => `no endpoint — set ${envVar} or \`endpoint:\` in the model's registry file`;

const badEndpoint = (value: string) => `endpoint "${value}" is not an http(s) URL — give a base URL such as http://127.0.0.1:8000/v1`;

/** Why an adapter cannot run here (no endpoint, or one that is not http(s)), or undefined; it does not contact the server. */
export function endpointProblem(ctx: AdapterContext, envVar: string): string | undefined {
  const base = endpointOf(ctx, envVar);
  if (!base) return noEndpoint(envVar);
  return parseEndpoint(base) ? undefined : badEndpoint(base);
}

/** The parsed endpoint for `open()`; throws VHB_E_ADAPTER_ENDPOINT when there is none or it is not http(s). */
export function requireEndpoint(ctx: AdapterContext, envVar: string): Endpoint {
  const base = endpointOf(ctx, envVar);
  if (!base) throw adapterError('VHB_E_ADAPTER_ENDPOINT', noEndpoint(envVar), 'see the adapter README for an example registry entry');
  const endpoint = parseEndpoint(base);
  if (!endpoint) throw adapterError('VHB_E_ADAPTER_ENDPOINT', badEndpoint(base));
  return endpoint;
}
