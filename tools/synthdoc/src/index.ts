// The generator lives in @vhb/dataset-synthdoc; this tool only writes the committed dataset with it.
export type { GenerateResult } from '@vhb/dataset-synthdoc';
export { generateDataset, MANIFEST_FILES, SYNTHDOC_SEED } from '@vhb/dataset-synthdoc';
