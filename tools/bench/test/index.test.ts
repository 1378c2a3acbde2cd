import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb-tools/bench exports', () => {
  it('exposes exactly the documented API', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'DEFAULT_PYTHON_ITEMS',
      'REFERENCE_SCRIPT',
      'RSS_LIMIT_BYTES',
      'Random',
      'TOLERANCE',
      'USAGE',
      'formatBench',
      'formatStream',
      'main',
      'ocrItems',
      'runBench',
      'runStream',
      'sampleIndices',
      'take',
      'vqaItems',
    ]);
  });

  it('checks agreement to 1e-9 and streams under 300 MB', () => {
    expect(mod.TOLERANCE).toBe(1e-9);
    expect(mod.RSS_LIMIT_BYTES).toBe(300_000_000);
  });
});
