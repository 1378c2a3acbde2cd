import { availableParallelism } from 'node:os';
import { defineAdapter } from '@vhb/sdk';
import { lookupLanguages } from './languages.js';
import { type TesseractOptions, tesseractOptions } from './options.js';
import { openSession, requestedLanguages } from './session.js';

export default defineAdapter<TesseractOptions>({
  name: 'tesseract',
  version: '0.1.0',
  description: 'Reads the text of document images in-process and offline with tesseract.js (LSTM engine).',
  options: tesseractOptions,
  resources: { type: 'cpu', cpus: availableParallelism(), backend: 'tesseract.js' },
  async unavailable(options, ctx) {
    const lookup = lookupLanguages(requestedLanguages(options, ctx), ctx.env);
    return lookup.ok ? undefined : lookup.message;
  },
  open: openSession,
});
