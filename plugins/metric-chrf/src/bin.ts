#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './chrf.js';

process.exitCode = await runMetricBin(metric);
