/** Error codes this plugin throws, with what each means. */
export const datasetJsonlErrorCodes = {
  VHB_E_DATASET_MANIFEST: 'The manifest file is missing, unreadable or outside the dataset root',
  VHB_E_DATASET_ROW: 'A manifest line is not valid JSON or a field has the wrong type',
  VHB_E_DATASET_IMAGE: "A row's image is missing or resolves outside the dataset root",
} as const;
