#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './json.js';

process.exitCode = await runMetricBin(metric);
