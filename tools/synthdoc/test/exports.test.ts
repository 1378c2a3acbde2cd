import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb-tools/synthdoc exports', () => {
  it('re-exports the generator of @vhb/dataset-synthdoc', () => {
    expect(Object.keys(mod).sort()).toEqual(['MANIFEST_FILES', 'SYNTHDOC_SEED', 'generateDataset']);
    expect(mod.SYNTHDOC_SEED).toBe(1729);
  });
});
