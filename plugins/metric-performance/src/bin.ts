#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './performance.js';

process.exitCode = await runMetricBin(metric);
