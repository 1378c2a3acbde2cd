import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/dataset-synthdoc exports', () => {
  it('exposes exactly the documented API', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'CACHE_DIR',
      'DOC_TYPES',
      'FIELDS',
      'LANGUAGES',
      'MANIFEST_FILES',
      'MAX_COUNT',
      'PAGE',
      'PLAN',
      'Rng',
      'SYNTHDOC_GENERATOR_VERSION',
      'SYNTHDOC_SEED',
      'SYNTHDOC_TASKS',
      'buildDocuments',
      'canvasMeasure',
      'datasetSynthdocErrorCodes',
      'datasetSynthdocOptions',
      'default',
      'documentId',
      'documentSpec',
      'ensureImage',
      'generateDataset',
      'imageAddress',
      'imagePathFor',
      'layout',
      'makeDocument',
      'mulberry32',
      'pageText',
      'renderPage',
      'renderPageAsync',
      'rendererIdentity',
      'slotOf',
      'wrap',
    ]);
  });

  it('is a dataset plugin named synthdoc', () => {
    expect(mod.default.kind).toBe('dataset');
    expect(mod.default.name).toBe('synthdoc');
    expect(typeof mod.default.items).toBe('function');
  });

  it('plans 40 demo documents: 30 English, 10 Russian, four document types', () => {
    const total = (language: 'en' | 'ru') => Object.values(mod.PLAN[language]).reduce((a, b) => a + b, 0);
    expect(total('en')).toBe(30);
    expect(total('ru')).toBe(10);
    expect(Object.keys(mod.PLAN.en).sort()).toEqual(['form', 'invoice', 'letter', 'receipt']);
  });

  it('addresses a cached image by the renderer identity and the document key', () => {
    expect(mod.rendererIdentity()).toMatch(/^synthdoc@1 canvas@\d+\.\d+\.\d+ dejavu@\d+\.\d+\.\d+$/);
    const key = { seed: 1, index: 0, docType: 'receipt', language: 'en' } as const;
    expect(mod.imageAddress(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(mod.imageAddress({ ...key, index: 1 })).not.toBe(mod.imageAddress(key));
    expect(mod.imageAddress({ ...key, language: 'ru' })).not.toBe(mod.imageAddress(key));
    const address = mod.imageAddress(key);
    expect(mod.imagePathFor('/data/gen', key)).toBe(`/data/gen/.vhb-cache/synthdoc/${address.slice(0, 2)}/${address}.png`);
  });
});
