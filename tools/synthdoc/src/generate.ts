#!/usr/bin/env node
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDataset } from '@vhb/dataset-synthdoc';

const usage = `Usage: node tools/synthdoc/dist/generate.js [--out <dir>]

Renders the synthdoc dataset (40 document images with OCR, VQA and classification manifests)
into <dir>, deterministically. Default: the repository's datasets/synthdoc.`;

// The default is found from this file, not the working directory, so `pnpm generate` inside the
// package and `node tools/synthdoc/dist/generate.js` at the root write to the same place.
const defaultOut = fileURLToPath(new URL('../../../datasets/synthdoc', import.meta.url));

async function main(): Promise<number> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`✖ ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const outDir = values.out ? resolve(values.out) : defaultOut;
  const { documents } = await generateDataset(outDir);
  process.stdout.write(`synthdoc: wrote ${documents.length} documents to ${outDir}\n`);
  return 0;
}

process.exitCode = await main();
