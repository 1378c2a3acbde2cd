#!/usr/bin/env node
import { runTaskBin } from '@vhb/sdk';
import task from './task.js';

process.exitCode = await runTaskBin(task);
