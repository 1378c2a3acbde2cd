#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './anls.js';

process.exitCode = await runMetricBin(metric);
