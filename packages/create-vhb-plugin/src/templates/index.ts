import type { Kind } from '../names.js';
import { adapter } from './adapter.js';
import { dataset } from './dataset.js';
import { metric } from './metric.js';
import { reporter } from './reporter.js';
import { task } from './task.js';
import type { KindTemplate } from './types.js';

/** The template of each kind. */
export const templates: Record<Kind, KindTemplate> = { metric, dataset, task, adapter, reporter };
export type { KindTemplate } from './types.js';
