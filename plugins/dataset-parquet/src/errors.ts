/** Error codes this plugin throws, with what each means. */
export const datasetParquetErrorCodes = {
  VHB_E_DATASET_MANIFEST: 'A parquet file is missing, outside the dataset root, or not readable as parquet',
  VHB_E_DATASET_COLUMN: 'A mapped column is not in the parquet schema',
  VHB_E_DATASET_ROW: 'A cell has a value the mapped field cannot take (references that are not text, an empty id)',
  VHB_E_DATASET_IMAGE: "A row's image is not bytes or a path, or its path resolves outside the dataset root",
  VHB_E_DATASET_CACHE: 'The image cache folder is outside the dataset root or cannot be written',
} as const;
