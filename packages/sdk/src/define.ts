import { CONTRACT_VERSION, type PluginKind, type Resources } from './contract.js';
import { kindSchemas } from './io-schemas.js';
import type { AdapterPlugin, DatasetPlugin, MetricPlugin, ReporterPlugin, TaskPlugin } from './plugins.js';

/** What a plugin author writes: everything but `kind` and `contract`, which the helper fills in. */
export type PluginSpec<P> = Omit<P, 'kind' | 'contract'>;

/** Where each kind's work is bound when a plugin says nothing. */
const defaultResources: Record<PluginKind, Resources> = {
  task: { type: 'cpu', cpus: 1 },
  dataset: { type: 'io' },
  adapter: { type: 'cpu', cpus: 1 },
  metric: { type: 'cpu', cpus: 1 },
  reporter: { type: 'cpu', cpus: 1 },
};

/** The spec with the kind's input/output schemas and resources where the author gave none, plus kind and contract. */
function complete<K extends PluginKind, S extends { input?: unknown; output?: unknown; resources?: Resources }>(kind: K, spec: S) {
  return { ...kindSchemas[kind], resources: defaultResources[kind], ...spec, kind, contract: CONTRACT_VERSION };
}

/** Declares a task plugin (ocr, vqa, classification, ...). */
export function defineTask<O>(spec: PluginSpec<TaskPlugin<O>>): TaskPlugin<O> {
  return complete('task', spec);
}

/** Declares a dataset iterator plugin. */
export function defineDataset<O>(spec: PluginSpec<DatasetPlugin<O>>): DatasetPlugin<O> {
  return complete('dataset', spec);
}

/** Declares a model adapter plugin. */
export function defineAdapter<O>(spec: PluginSpec<AdapterPlugin<O>>): AdapterPlugin<O> {
  return complete('adapter', spec);
}

/** Declares a metric plugin. */
export function defineMetric<O>(spec: PluginSpec<MetricPlugin<O>>): MetricPlugin<O> {
  return complete('metric', spec);
}

/** Declares a reporter plugin. */
export function defineReporter<O>(spec: PluginSpec<ReporterPlugin<O>>): ReporterPlugin<O> {
  return complete('reporter', spec);
}
