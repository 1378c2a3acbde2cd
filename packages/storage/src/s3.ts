import { createRequire } from 'node:module';
import { addAbortSignal, PassThrough, type Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { VhbError } from '@vhb/sdk';
import { abortedError, isAbort } from './abort.js';
import { assertKey } from './keys.js';
import { maskSecrets, secretsFromEnv } from './mask.js';
import type { GetOptions, PutBody, PutOptions, Storage, StoredObject } from './storage.js';

// The AWS SDK takes ~0.4 s to load: required on first use, so only S3 users pay for it (not every `vhb` start).
const require = createRequire(import.meta.url);
let clientS3: typeof import('@aws-sdk/client-s3') | undefined;
let libStorage: typeof import('@aws-sdk/lib-storage') | undefined;
const s3 = () => {
  clientS3 ??= require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return clientS3;
};
const storageLib = () => {
  libStorage ??= require('@aws-sdk/lib-storage') as typeof import('@aws-sdk/lib-storage');
  return libStorage;
};

/** Static credentials for code that holds them (tests, a secrets manager). Never read them from registry YAML. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StorageOptions {
  bucket: string;
  /** Key prefix inside the bucket that acts as this storage's root (`datasets/docvqa`). */
  prefix?: string;
  /** S3-compatible endpoint (`http://127.0.0.1:9000` for MinIO); default `VHB_S3_ENDPOINT`, else AWS. */
  endpoint?: string;
  /** Default `VHB_S3_REGION`, `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default `VHB_S3_FORCE_PATH_STYLE`, else true when an endpoint is set. */
  forcePathStyle?: boolean;
  /**
   * `when-required` sends and checks CRC checksums only where S3 demands them, which third-party
   * stores need; `when-supported` is the AWS SDK's default. Default `VHB_S3_CHECKSUMS`, else
   * `when-required` with a custom endpoint and `when-supported` without.
   */
  checksums?: 'when-required' | 'when-supported';
  /** Default: `VHB_S3_ACCESS_KEY_ID` / `VHB_S3_SECRET_ACCESS_KEY` from `env`, else the AWS SDK's chain (AWS_* variables, profiles, SSO, instance roles). */
  credentials?: S3Credentials;
  /** Where the settings above are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Multipart part size in bytes for `put` (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once (default 4). */
  queueSize?: number;
}

/** The S3 settings in effect for `options`, environment applied. */
export function s3Settings(options: S3StorageOptions): S3ClientConfig {
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? (env.VHB_S3_ENDPOINT || undefined);
  const region = options.region ?? (env.VHB_S3_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1');
  const pathStyleEnv = env.VHB_S3_FORCE_PATH_STYLE?.toLowerCase();
  const forcePathStyle = options.forcePathStyle ?? (pathStyleEnv ? ['1', 'true', 'yes'].includes(pathStyleEnv) : endpoint !== undefined);
  const checksumsEnv = env.VHB_S3_CHECKSUMS?.toLowerCase().replace('_', '-');
  const checksums =
    options.checksums ??
    (checksumsEnv === 'when-required' || checksumsEnv === 'when-supported' ? checksumsEnv : endpoint ? 'when-required' : 'when-supported');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
    throw new VhbError('VHB_E_STORAGE_CONFIG', `S3 endpoint ${JSON.stringify(maskSecrets(endpoint))} is not an http(s) URL`, {
      hint: 'set VHB_S3_ENDPOINT (or the endpoint option) to a URL such as http://127.0.0.1:9000',
    });
  const envKey = env.VHB_S3_ACCESS_KEY_ID;
  const envSecret = env.VHB_S3_SECRET_ACCESS_KEY;
  const credentials =
    options.credentials ??
    (envKey && envSecret
      ? { accessKeyId: envKey, secretAccessKey: envSecret, sessionToken: env.VHB_S3_SESSION_TOKEN || undefined }
      : undefined);
  const mode = checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  return {
    region,
    forcePathStyle,
    requestChecksumCalculation: mode,
    responseChecksumValidation: mode,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** A storage in an S3 bucket (AWS, MinIO, Ceph RGW, any S3-compatible store) under an optional prefix. */
export class S3Storage implements Storage {
  readonly url: string;
  readonly supportsRange = true;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  private readonly secrets: string[];
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3StorageOptions) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket))
      throw new VhbError('VHB_E_STORAGE_CONFIG', `S3 bucket name ${JSON.stringify(options.bucket)} is not valid`, {
        hint: 'bucket names are 3-63 characters: lowercase letters, digits, dots and hyphens',
      });
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (this.prefix !== '') assertKey(this.prefix, 'S3 prefix');
    this.url = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    const config = s3Settings(options);
    this.client = new (s3().S3Client)(config);
    const creds = options.credentials;
    this.secrets = [
      ...secretsFromEnv(options.env ?? process.env),
      ...secretsFromEnv(process.env),
      ...(creds ? [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken ?? ''] : []),
    ];
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? 8 * 1024 * 1024);
    this.queueSize = Math.max(1, options.queueSize ?? 4);
  }

  private key(key: string): string {
    assertKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async *list(prefix = '', options: { signal?: AbortSignal } = {}): AsyncIterable<StoredObject> {
    const root = this.prefix ? `${this.prefix}/` : '';
    const pages = s3().paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: root + prefix });
    try {
      for await (const page of pages) {
        if (options.signal?.aborted) throw abortedError(`listing ${this.url}`, options.signal.reason);
        for (const item of page.Contents ?? []) {
          if (item.Key === undefined || !item.Key.startsWith(root)) continue;
          yield {
            key: item.Key.slice(root.length),
            size: item.Size ?? 0,
            ...(item.ETag ? { etag: item.ETag } : {}),
            ...(item.LastModified ? { lastModified: item.LastModified } : {}),
          };
        }
      }
    } catch (error) {
      throw this.error('list', prefix === '' ? '' : prefix, error);
    }
  }

  async stat(key: string, options: { signal?: AbortSignal } = {}): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new (s3().HeadObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }), {
        abortSignal: options.signal,
      });
      return {
        key,
        size: head.ContentLength ?? 0,
        ...(head.ETag ? { etag: head.ETag } : {}),
        ...(head.LastModified ? { lastModified: head.LastModified } : {}),
      };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 && (error as Error).name !== 'NoSuchBucket') return undefined;
      throw this.error('stat', key, error);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const { start, end } = options;
    const ranged = (start !== undefined && start > 0) || end !== undefined;
    const range = ranged ? `bytes=${start ?? 0}-${end ?? ''}` : undefined;
    let body: Readable;
    try {
      const answer = await this.client.send(
        new (s3().GetObjectCommand)({ Bucket: this.bucket, Key: this.key(key), ...(range ? { Range: range } : {}) }),
        { abortSignal: options.signal },
      );
      body = answer.Body as Readable;
      if (ranged && !answer.ContentRange?.startsWith(`bytes ${start ?? 0}-`)) {
        body.destroy();
        throw new VhbError(
          'VHB_E_STORAGE_RANGE',
          `${this.url}/${key}: asked for ${range}, the store answered ${answer.ContentRange ? `range ${answer.ContentRange}` : 'with the whole object'}`,
          { hint: 'this store does not support ranged reads: read the object whole' },
        );
      }
    } catch (error) {
      throw this.error('read', key, error);
    }
    if (options.signal) addAbortSignal(options.signal, body);
    return body;
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<StoredObject> {
    let size = 0;
    let payload: Uint8Array | Readable;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      payload = Buffer.from(body);
      size = payload.byteLength;
    } else {
      const counter = new PassThrough();
      counter.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      body.on('error', (error) => counter.destroy(error));
      payload = body.pipe(counter);
    }
    const abortController = new AbortController();
    const onAbort = () => abortController.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal?.aborted) throw abortedError(`upload of ${this.url}/${key}`, options.signal.reason);
      const upload = new (storageLib().Upload)({
        client: this.client,
        params: {
          Bucket: this.bucket,
          Key: this.key(key),
          Body: payload,
          ...(options.contentType ? { ContentType: options.contentType } : {}),
        },
        partSize: this.partSize,
        queueSize: this.queueSize,
        abortController,
      });
      const done = await upload.done();
      return { key, size, ...(done.ETag ? { etag: done.ETag } : {}) };
    } catch (error) {
      throw this.error('write', key, error);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async delete(key: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    try {
      await this.client.send(new (s3().DeleteObjectCommand)({ Bucket: this.bucket, Key: this.key(key) }), {
        abortSignal: options.signal,
      });
    } catch (error) {
      throw this.error('delete', key, error);
    }
  }

  /** Our error for an SDK failure: classified, with every secret masked, the SDK's error kept only as masked text. */
  private error(op: string, key: string, error: unknown): Error {
    if (error instanceof VhbError) return error;
    const where = `${this.url}${key ? `/${key}` : ''}`;
    if (isAbort(error)) return abortedError(`${op} ${where}`);
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    const name = e.name ?? 'Error';
    const said = maskSecrets(e.message ?? String(error), this.secrets);
    const detail = `${name}: ${said}`;
    const cause = Object.assign(new Error(said), { name, ...(status ? { httpStatusCode: status } : {}) });
    if (name === 'NoSuchBucket')
      return new VhbError('VHB_E_STORAGE_NOT_FOUND', `bucket ${this.bucket} does not exist (${op} ${where})`, {
        hint: 'check the bucket name, and VHB_S3_ENDPOINT / the region: the bucket may live elsewhere',
        cause,
      });
    if (status === 404 || name === 'NoSuchKey' || name === 'NotFound')
      return new VhbError('VHB_E_STORAGE_NOT_FOUND', `${where} does not exist`, {
        hint: 'check the storage URL and the prefix; list the store to see what it holds',
        cause,
      });
    if (
      status === 401 ||
      status === 403 ||
      /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|Credentials?ProviderError|InvalidToken/.test(name)
    )
      return new VhbError('VHB_E_STORAGE_AUTH', `the store refused to ${op} ${where}: ${detail}`, {
        hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or VHB_S3_ACCESS_KEY_ID / VHB_S3_SECRET_ACCESS_KEY, or an AWS profile) for this store',
        cause,
      });
    if (status === 416 || name === 'InvalidRange')
      return new VhbError('VHB_E_STORAGE_RANGE', `${where}: the range asked for is outside the object (${detail})`, {
        hint: 'read the object whole',
        cause,
      });
    const transient = status === undefined || status >= 500 || status === 429;
    return new VhbError('VHB_E_STORAGE_IO', `could not ${op} ${where}: ${detail}`, {
      hint: transient
        ? 'the store is unreachable or failing: check VHB_S3_ENDPOINT and the network, then try again'
        : 'the store refused the request: check the bucket, the prefix and the S3 settings',
      cause,
      ...(transient ? { retry: { retryable: true } as const } : {}),
    });
  }
}
