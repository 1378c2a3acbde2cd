#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './vqa-accuracy.js';

process.exitCode = await runMetricBin(metric);
