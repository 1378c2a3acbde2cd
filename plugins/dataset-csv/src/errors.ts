/** Error codes this plugin throws, with what each means. */
export const datasetCsvErrorCodes = {
  VHB_E_DATASET_MANIFEST: 'The CSV file is missing, unreadable or outside the dataset root',
  VHB_E_DATASET_COLUMN: 'The header lacks a mapped column, or names a column twice',
  VHB_E_DATASET_ROW: 'A row is not valid CSV, has the wrong number of cells, or a cell has a bad value',
  VHB_E_DATASET_IMAGE: "A row's image is missing or resolves outside the dataset root",
} as const;
