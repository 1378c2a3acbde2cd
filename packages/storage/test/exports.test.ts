import { describe, expect, it } from 'vitest';
import * as storage from '../src/index.js';

describe('@vhb/storage exports', () => {
  it('pins the public API', () => {
    expect(Object.keys(storage).sort()).toEqual(
      [
        'LocalStorage',
        'MANIFEST_FILE',
        'SYNC_STATE_DIR',
        'buildManifest',
        'manifestSchema',
        'parseManifest',
        'readManifest',
        'syncDataset',
        'uploadDataset',
        'uploadResults',
        'S3Storage',
        'SECRET_ENV_VARS',
        'assertKey',
        'joinKey',
        'maskSecrets',
        'openStorage',
        'relativePathProblem',
        's3Settings',
        'storageErrorCodes',
      ].sort(),
    );
  });
});
