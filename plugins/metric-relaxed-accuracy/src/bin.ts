#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './relaxed-accuracy.js';

process.exitCode = await runMetricBin(metric);
