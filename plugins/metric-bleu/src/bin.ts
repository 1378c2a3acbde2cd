#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './bleu.js';

process.exitCode = await runMetricBin(metric);
