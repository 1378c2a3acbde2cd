#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './exact-match.js';

process.exitCode = await runMetricBin(metric);
