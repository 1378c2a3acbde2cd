import { randomUUID } from 'node:crypto';
import { mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMAGE_MIME_TYPES } from '@vhb/sdk/openai';
import type { ChatRequest } from './chat-schema.js';
import { GatewayError } from './errors.js';

const EXTENSION: Record<string, string> = { 'image/jpeg': '.jpg', 'image/tiff': '.tif' };

const isRemote = (url: string) => /^https?:\/\//i.test(url);
const isData = (url: string) => /^data:/i.test(url);

const imageError = (message: string, hint: string) => new GatewayError('VHB_E_GATEWAY_IMAGE', message, { hint });

/**
 * Resolves an image path of a request to the real path of a file under the dataset root. Paths with
 * a `..` segment, absolute paths elsewhere, and links that lead out of the root are refused.
 */
export async function resolveImagePath(root: string | undefined, spec: string): Promise<string> {
  const path = spec.startsWith('file://') ? fileURLToPath(spec) : spec;
  if (!root) {
    throw imageError(
      `image "${spec}" is a path, but the gateway has no dataset root`,
      'send the image as a data URL, or start the gateway with a dataset root',
    );
  }
  if (path.split(/[\\/]/).includes('..')) {
    throw imageError(
      `image path "${spec}" contains "..": only files under the dataset root are served`,
      'give a path relative to the dataset root, without ".."',
    );
  }
  const realRoot = await realpath(root);
  const candidate = isAbsolute(path) ? path : resolve(realRoot, path);
  const inside = (file: string, base: string) => {
    const rel = relative(base, file);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  if (!inside(candidate, realRoot) && !inside(candidate, resolve(root))) {
    throw imageError(`image path "${spec}" is outside the dataset root`, 'give a path relative to the dataset root');
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    throw imageError(`image "${spec}" does not exist under the dataset root`, 'check the path (relative to the dataset root)');
  }
  if (!inside(real, realRoot)) {
    throw imageError(
      `image path "${spec}" leads outside the dataset root (through a link)`,
      'only files under the dataset root are served',
    );
  }
  if (!(await stat(real)).isFile()) throw imageError(`image path "${spec}" is not a file`, 'name an image file');
  return real;
}

/** A data URL of an image file. */
async function dataUrlOf(file: string): Promise<string> {
  const mime = IMAGE_MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  return `data:${mime};base64,${(await readFile(file)).toString('base64')}`;
}

type Part = { type: string; image_url?: string | { url: string } };
const urlOf = (part: Part): string | undefined => (typeof part.image_url === 'string' ? part.image_url : part.image_url?.url);

function imageParts(body: ChatRequest): Part[] {
  return body.messages
    .flatMap((message) => (Array.isArray(message.content) ? (message.content as Part[]) : []))
    .filter((p) => p.type === 'image_url');
}

/** Whether some image part of the body is a path (neither a data URL nor http(s)): only those need {@link inlineImages}. */
export function hasImagePaths(body: ChatRequest): boolean {
  for (const message of body.messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Part[]) {
      if (part.type !== 'image_url') continue;
      const url = urlOf(part);
      if (url !== undefined && !isData(url) && !isRemote(url)) return true;
    }
  }
  return false;
}

/**
 * For engines over HTTP: a copy of the body where every image path is replaced by a data URL of the
 * file (the engine cannot read our disk). Data and http(s) URLs go as they are.
 */
export async function inlineImages(body: ChatRequest, root: string | undefined): Promise<ChatRequest> {
  if (!hasImagePaths(body)) return body;
  const messages = await Promise.all(
    body.messages.map(async (message) => {
      if (!Array.isArray(message.content)) return message;
      const content = await Promise.all(
        (message.content as Part[]).map(async (part) => {
          const url = part.type === 'image_url' ? urlOf(part) : undefined;
          if (url === undefined || isData(url) || isRemote(url)) return part;
          const detail = typeof part.image_url === 'object' ? part.image_url : {};
          return { ...part, image_url: { ...detail, url: await dataUrlOf(await resolveImagePath(root, url)) } };
        }),
      );
      return { ...message, content };
    }),
  );
  return { ...body, messages } as ChatRequest;
}

/** The first image of a request as a file an in-process adapter can read; `cleanup` removes a temporary copy. */
export async function firstImageFile(body: ChatRequest, root: string | undefined): Promise<{ file?: string; cleanup(): Promise<void> }> {
  const none = { cleanup: async () => {} };
  const url = imageParts(body)
    .map(urlOf)
    .find((u) => u !== undefined);
  if (url === undefined) return none;
  if (isRemote(url)) {
    throw imageError(
      `image "${url.slice(0, 80)}" is a remote URL: in-process adapters read data URLs or dataset paths`,
      'send the image as a data URL or a path under the dataset root',
    );
  }
  if (!isData(url)) return { file: await resolveImagePath(root, url), cleanup: none.cleanup };
  const match = url.match(/^data:([^;,]*)(;base64)?,(.*)$/is);
  if (!match) throw imageError('an image data URL is malformed', 'use data:<mime>;base64,<bytes>');
  const mime = (match[1] || 'application/octet-stream').toLowerCase();
  const bytes = match[2] ? Buffer.from(match[3] ?? '', 'base64') : Buffer.from(decodeURIComponent(match[3] ?? ''));
  if (bytes.length === 0) throw imageError('an image data URL holds no bytes', 'send the image file as base64');
  const folder = join(tmpdir(), 'vhb-gateway', randomUUID());
  await mkdir(folder, { recursive: true });
  const ext = EXTENSION[mime] ?? `.${mime.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin'}`;
  const file = join(folder, `image${ext}`);
  await writeFile(file, bytes);
  return { file, cleanup: () => rm(folder, { recursive: true, force: true }) };
}
