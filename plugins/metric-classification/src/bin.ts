#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './classification.js';

process.exitCode = await runMetricBin(metric);
