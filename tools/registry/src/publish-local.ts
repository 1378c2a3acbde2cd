#!/usr/bin/env node
/**
 * `pnpm registry:local`: starts verdaccio on 127.0.0.1 (temp storage, no uplinks), publishes every
 * publishable workspace package to it, prints the URL and the .npmrc line, and keeps running until
 * Ctrl-C. Flags: --only a,b (package names), --port N, --storage DIR (kept), --exit (stop after publishing).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishWorkspace } from './publish.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    port: { type: 'string' },
    storage: { type: 'string' },
    exit: { type: 'boolean', default: false },
  },
});

const root = fileURLToPath(new URL('../../..', import.meta.url));
const only = values.only
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);

try {
  const { registry, published } = await publishWorkspace({
    root,
    ...(only ? { only } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.storage ? { storageDir: values.storage } : {}),
    log: (line) => console.log(line),
  });
  console.log(`\nPublished ${published.length} packages to ${registry.url}/`);
  console.log(`registry URL: ${registry.url}/`);
  console.log(`.npmrc line:  registry=${registry.url}/`);
  if (values.exit) {
    await registry.stop();
  } else {
    const example = published.find((id) => id.startsWith('@vhb/metric-')) ?? published.at(-1) ?? '';
    console.log(`try:          npm install ${example.slice(0, example.lastIndexOf('@'))} --registry ${registry.url}/`);
    console.log('Press Ctrl-C to stop the registry (its storage is removed).');
    const stop = () => {
      void registry.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  console.error(`publish-local: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
