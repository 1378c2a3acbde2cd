import { mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkPlugin, parseOptions } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';
import { context, russianInstalled } from './helpers.js';

const plugin = mod.default;

describe('@vhb/adapter-tesseract exports', () => {
  it('exposes the plugin and its helpers, and passes the contract check', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'cleanText',
      'dataFolder',
      'default',
      'locateLanguage',
      'lookupLanguages',
      'tesseractErrorCodes',
      'tesseractOptions',
    ]);
    expect(checkPlugin(plugin, 'adapter').ok).toBe(true);
    expect(plugin.name).toBe('tesseract');
    expect(plugin.resources).toMatchObject({ type: 'cpu', backend: 'tesseract.js' });
  });
});

describe('options', () => {
  it('defaults to one worker per core', () => {
    expect(parseOptions(plugin, {})).toEqual({ workers: availableParallelism() });
  });

  it('refuses a page segmentation mode outside 0–13 and unknown keys', () => {
    expect(() => parseOptions(plugin, { psm: 14 })).toThrow(/psm/);
    expect(() => parseOptions(plugin, { worker: 2 })).toThrow(/worker/);
  });
});

describe('unavailable', () => {
  it('is undefined for English, which ships with the adapter', async () => {
    expect(await plugin.unavailable?.({ workers: 1 }, context('eng'))).toBeUndefined();
    // No modelId and no option: English.
    expect(await plugin.unavailable?.({ workers: 1 }, context())).toBeUndefined();
  });

  it('names a language whose data is missing and says how to install it', async () => {
    expect(await plugin.unavailable?.({ workers: 1 }, context('xyz'))).toBe(
      '"xyz" OCR data is not installed: run `apt-get install tesseract-ocr-xyz` (Debian/Ubuntu), or set TESSDATA_PREFIX to a folder holding xyz.traineddata',
    );
  });

  it('prefers options.languages over the model id', async () => {
    expect(await plugin.unavailable?.({ workers: 1, languages: 'xyz' }, context('eng'))).toMatch(/"xyz" OCR data/);
    expect(await plugin.unavailable?.({ workers: 1, languages: 'eng' }, context('xyz'))).toBeUndefined();
  });

  it('refuses something that is not a language list', async () => {
    expect(await plugin.unavailable?.({ workers: 1 }, context('../eng'))).toMatch(/"\.\.\/eng" is not a tesseract language list/);
  });

  it('finds data through TESSDATA_PREFIX', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessdata-'));
    try {
      await writeFile(join(dir, 'xyz.traineddata'), 'fake');
      expect(await plugin.unavailable?.({ workers: 1 }, context('xyz', { TESSDATA_PREFIX: dir }))).toBeUndefined();
      expect(mod.locateLanguage('xyz', { TESSDATA_PREFIX: dir })).toEqual({ code: 'xyz', file: join(dir, 'xyz.traineddata'), gzip: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(russianInstalled)('is undefined for Russian once tesseract-ocr-rus is installed', async () => {
    expect(await plugin.unavailable?.({ workers: 1 }, context('rus+eng'))).toBeUndefined();
  });

  it.skipIf(russianInstalled)('asks for tesseract-ocr-rus when Russian is missing', async () => {
    expect(await plugin.unavailable?.({ workers: 1 }, context('rus'))).toMatch(
      /^Russian OCR data is not installed: run `apt-get install tesseract-ocr-rus` \(Debian\/Ubuntu\)/,
    );
  });
});

describe('dataFolder', () => {
  it('uses the folder of languages that live together', async () => {
    const eng = mod.locateLanguage('eng', {});
    expect(eng?.gzip).toBe(true);
    expect(await mod.dataFolder([eng!])).toEqual({ langPath: dirname(eng!.file), gzip: true });
  });

  it('links languages that live apart into one folder, named without .gz', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessdata-'));
    try {
      await writeFile(join(dir, 'xyz.traineddata'), 'fake');
      const eng = mod.locateLanguage('eng', {})!;
      const xyz = mod.locateLanguage('xyz', { TESSDATA_PREFIX: dir })!;
      const folder = await mod.dataFolder([xyz, eng]);
      expect(folder.gzip).toBe(false);
      expect(await readlink(join(folder.langPath, 'eng.traineddata'))).toBe(eng.file);
      expect(await readlink(join(folder.langPath, 'xyz.traineddata'))).toBe(xyz.file);
      // Asked again, the same folder.
      expect(await mod.dataFolder([xyz, eng])).toEqual(folder);
      await rm(folder.langPath, { recursive: true, force: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cleanText', () => {
  it('drops the empty lines tesseract puts between blocks and trailing spaces', () => {
    expect(mod.cleanText('INVOICE\n\nInvoice No: 1 \n\n\nTotal 3\n')).toBe('INVOICE\nInvoice No: 1\nTotal 3');
  });
});
