#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './wer.js';

process.exitCode = await runMetricBin(metric);
