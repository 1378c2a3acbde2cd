/** Error codes this plugin throws, with what each means. */
export const datasetImageFolderErrorCodes = {
  VHB_E_DATASET_MANIFEST: 'The labels file or the images folder is missing, or outside the dataset root',
  VHB_E_DATASET_COLUMN: 'The labels CSV lacks the file or the label column',
  VHB_E_DATASET_ROW: 'A labels row is not valid CSV/JSON, or has no file or no label',
  VHB_E_DATASET_IMAGE: "A row's image is missing or resolves outside the dataset root",
} as const;
