import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb-tools/synthdoc exports', () => {
  it('exposes exactly the documented API', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'MANIFEST_FILES',
      'PAGE',
      'PLAN',
      'Rng',
      'SYNTHDOC_SEED',
      'buildDocuments',
      'canvasMeasure',
      'generateDataset',
      'layout',
      'mulberry32',
      'pageText',
      'renderPage',
      'wrap',
    ]);
  });

  it('plans 40 documents: 30 English, 10 Russian, four document types', () => {
    const total = (language: 'en' | 'ru') => Object.values(mod.PLAN[language]).reduce((a, b) => a + b, 0);
    expect(total('en')).toBe(30);
    expect(total('ru')).toBe(10);
    expect(Object.keys(mod.PLAN.en).sort()).toEqual(['form', 'invoice', 'letter', 'receipt']);
  });
});
