#!/usr/bin/env node
import { main } from './main.js';

// `vhb list metrics | head -3` closes the pipe early: stop quietly, as Unix tools do, instead of
// dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
