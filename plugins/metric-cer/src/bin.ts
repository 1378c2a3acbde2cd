#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './cer.js';

process.exitCode = await runMetricBin(metric);
