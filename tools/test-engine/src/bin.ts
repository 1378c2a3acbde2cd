#!/usr/bin/env node
import { main, USAGE } from './cli.js';

try {
  const engine = await main(process.argv.slice(2));
  if (engine) {
    const stop = (): void => {
      engine.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  console.error(`vhb-test-engine: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE.split('\n')[0]);
  process.exit(2);
}
