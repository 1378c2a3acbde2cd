/** Error codes raised by @vhb/storage, each with what it means. The README's errors table lists them all. */
export const storageErrorCodes = {
  VHB_E_STORAGE_KEY: 'An object key or manifest path is not a plain relative path inside the root',
  VHB_E_STORAGE_NOT_FOUND: 'The object (or the bucket) does not exist',
  VHB_E_STORAGE_AUTH: 'The store refused the credentials, or they could not be found',
  VHB_E_STORAGE_IO: 'Reading or writing the store failed (network, disk, server error)',
  VHB_E_STORAGE_RANGE: 'The store did not answer a ranged read with the requested range',
  VHB_E_STORAGE_CONFIG: 'A storage URL or S3 setting is malformed',
  VHB_E_MANIFEST_INVALID: 'A dataset manifest (vhb-dataset.json) does not match the format',
  VHB_E_SYNC_HASH: "A downloaded file's sha256 or size is not the manifest's",
  VHB_E_SYNC_IO: 'The local cache folder could not be read or written',
  VHB_E_SYNC_LOCKED: 'Another process kept the cache folder locked for too long',
  VHB_E_SYNC_ABORTED: 'The sync or upload was cancelled through its signal',
} as const;

export type StorageErrorCode = keyof typeof storageErrorCodes;
