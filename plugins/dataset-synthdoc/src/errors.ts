/** Error codes this plugin throws, with what each means. */
export const datasetSynthdocErrorCodes = {
  VHB_E_DATASET_CACHE: 'The image cache under the dataset folder cannot be created or written',
  VHB_E_SYNTHDOC_FONT: 'The DejaVu fonts the pages are drawn with cannot be loaded',
} as const;
