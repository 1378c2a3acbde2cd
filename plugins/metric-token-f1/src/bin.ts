#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './token-f1.js';

process.exitCode = await runMetricBin(metric);
