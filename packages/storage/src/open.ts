import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VhbError } from '@vhb/sdk';
import { LocalStorage } from './local.js';
import { S3Storage, type S3StorageOptions } from './s3.js';
import type { Storage } from './storage.js';

/**
 * The storage a URL names: `s3://bucket/prefix` (settings and credentials from `env`, see
 * S3StorageOptions), `file:///abs/path`, or a plain path (relative to `cwd`).
 */
export function openStorage(
  url: string,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; s3?: Omit<S3StorageOptions, 'bucket' | 'prefix'> } = {},
): Storage {
  if (url.startsWith('s3://')) {
    const rest = url.slice('s3://'.length);
    const cut = rest.indexOf('/');
    const bucket = cut < 0 ? rest : rest.slice(0, cut);
    const prefix = cut < 0 ? '' : rest.slice(cut + 1);
    return new S3Storage({ ...options.s3, env: options.env ?? options.s3?.env, bucket, prefix });
  }
  if (url.startsWith('file://')) return new LocalStorage(fileURLToPath(url));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new VhbError(
      'VHB_E_STORAGE_CONFIG',
      `storage URL ${JSON.stringify(url.replace(/\/\/[^/@]*@/, '//***@'))} has a scheme this package does not know`,
      {
        hint: 'use s3://bucket/prefix, file:///absolute/path or a plain folder path',
      },
    );
  if (url === '')
    throw new VhbError('VHB_E_STORAGE_CONFIG', 'storage URL is empty', {
      hint: 'use s3://bucket/prefix, file:///absolute/path or a plain folder path',
    });
  return new LocalStorage(isAbsolute(url) ? url : resolve(options.cwd ?? process.cwd(), url));
}
