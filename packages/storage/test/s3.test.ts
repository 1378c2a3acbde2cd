import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage, maskSecrets, openStorage, S3Storage, s3Settings } from '../src/index.js';
import { type LocalS3, startS3 } from './helpers/s3-server.js';
import { readAll } from './helpers/streams.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

describe('S3 settings from the environment', () => {
  it('reads endpoint, region, path style and checksum mode from VHB_S3_* variables', () => {
    const config = s3Settings({
      bucket: 'b',
      env: { VHB_S3_ENDPOINT: 'http://127.0.0.1:9000', VHB_S3_REGION: 'eu-central-1', VHB_S3_FORCE_PATH_STYLE: 'false' },
    });
    expect(config).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
      forcePathStyle: false,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    expect(config.credentials).toBeUndefined(); // left to the AWS SDK's chain
  });

  it('defaults to AWS: no endpoint, virtual-hosted style, the SDK checksums, region from AWS_REGION', () => {
    const config = s3Settings({ bucket: 'b', env: { AWS_REGION: 'us-west-2' } });
    expect(config).toMatchObject({ region: 'us-west-2', forcePathStyle: false, requestChecksumCalculation: 'WHEN_SUPPORTED' });
    expect(config.endpoint).toBeUndefined();
  });

  it('takes VHB_S3_ACCESS_KEY_ID / VHB_S3_SECRET_ACCESS_KEY when both are set', () => {
    const config = s3Settings({ bucket: 'b', env: { VHB_S3_ACCESS_KEY_ID: 'id1', VHB_S3_SECRET_ACCESS_KEY: 'secret1' } });
    expect(config.credentials).toEqual({ accessKeyId: 'id1', secretAccessKey: 'secret1', sessionToken: undefined });
  });

  it('refuses an endpoint that is not an http(s) URL, and a bad bucket name', () => {
    expect(() => s3Settings({ bucket: 'b', env: { VHB_S3_ENDPOINT: 'minio:9000' } })).toThrow(
      expect.objectContaining({ code: 'VHB_E_STORAGE_CONFIG' }),
    );
    expect(() => new S3Storage({ bucket: 'Bad_Bucket', env: {} })).toThrow(expect.objectContaining({ code: 'VHB_E_STORAGE_CONFIG' }));
  });
});

describe('openStorage', () => {
  it('opens s3:// URLs with the environment, and folders', async () => {
    const storage = openStorage(`s3://${s3.bucket}/via/url`, {
      env: { VHB_S3_ENDPOINT: s3.endpoint, VHB_S3_ACCESS_KEY_ID: 'S3RVER', VHB_S3_SECRET_ACCESS_KEY: 'S3RVER' },
    });
    expect(storage).toBeInstanceOf(S3Storage);
    expect(storage.url).toBe(`s3://${s3.bucket}/via/url`);
    await storage.put('x.txt', 'through the URL');
    expect((await readAll(await s3.storage().get('via/url/x.txt'))).toString()).toBe('through the URL');
    expect(openStorage('file:///tmp/somewhere')).toBeInstanceOf(LocalStorage);
    expect((openStorage('data/store', { cwd: '/srv' }) as LocalStorage).root).toBe('/srv/data/store');
    expect(() => openStorage('gs://bucket/x')).toThrow(expect.objectContaining({ code: 'VHB_E_STORAGE_CONFIG' }));
  });
});

describe('S3 errors', () => {
  it('refused credentials are VHB_E_STORAGE_AUTH, and the key and secret appear nowhere in the error', async () => {
    const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const storage = new S3Storage({ bucket: s3.bucket, endpoint: s3.endpoint, credentials: { accessKeyId, secretAccessKey }, env: {} });
    const error = await storage.get('anything.txt').catch((e) => e);
    expect(error).toMatchObject({ code: 'VHB_E_STORAGE_AUTH' });
    expect(error.hint).toContain('AWS_ACCESS_KEY_ID');
    const everything = JSON.stringify({ message: error.message, hint: error.hint, cause: String(error.cause), stack: error.stack });
    expect(everything).not.toContain(accessKeyId);
    expect(everything).not.toContain(secretAccessKey);
    expect(error.cause).not.toHaveProperty('$response');
  });

  it('a missing bucket is VHB_E_STORAGE_NOT_FOUND naming it', async () => {
    const storage = new S3Storage({
      bucket: 'no-such-bucket',
      endpoint: s3.endpoint,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      env: {},
    });
    await expect(storage.get('a.txt')).rejects.toMatchObject({
      code: 'VHB_E_STORAGE_NOT_FOUND',
      message: expect.stringContaining('no-such-bucket'),
    });
  });

  it('an unreachable endpoint is VHB_E_STORAGE_IO with retry advice', async () => {
    const storage = new S3Storage({
      bucket: 'b-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      env: {},
    });
    await expect(storage.stat('a.txt')).rejects.toMatchObject({ code: 'VHB_E_STORAGE_IO', retry: { retryable: true } });
  }, 30_000);
});

describe('maskSecrets', () => {
  it('masks known secrets, access key ids, signatures and URL passwords', () => {
    const text =
      'key AKIAIOSFODNN7EXAMPLE secret s3cr3t-value url http://user:pa55@minio:9000/b?X-Amz-Signature=abcdef&X-Amz-Credential=AKIA/x Credential=ZZ/2024, Signature=ff00';
    const masked = maskSecrets(text, ['s3cr3t-value']);
    expect(masked).toBe(
      'key *** secret *** url http://***:***@minio:9000/b?X-Amz-Signature=***&X-Amz-Credential=*** Credential=***, Signature=***',
    );
  });
});
