import type { AdapterContext } from '@vhb/sdk';

/** Where requests go: the pool origin, the request path, and a printable URL without credentials. */
export interface Endpoint {
  origin: string;
  path: string;
  url: string;
}

/** The model's `endpoint:` wins over the environment; empty strings count as unset. */
export function endpointOf(ctx: AdapterContext): string | undefined {
  return ctx.model.endpoint || ctx.env.VHB_OPENAI_BASE_URL || undefined;
}

export const NO_ENDPOINT = "no endpoint — set VHB_OPENAI_BASE_URL or `endpoint:` in the model's registry file";

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
