import { type PackageKind, parseMetricRef, type RegistryEntries, type RegistryKind } from './schemas.js';
import type { FieldPath } from './yaml-file.js';

/** One name an entry uses to point at another entry. */
export interface Reference {
  /** Where the name sits in the referring entry. */
  field: FieldPath;
  kind: RegistryKind;
  name: string;
  /** For package references: the plugin kind the package must provide. */
  packageKind?: PackageKind;
}

const one = (field: string, kind: RegistryKind, name: string | undefined, packageKind?: PackageKind): Reference[] =>
  name === undefined ? [] : [{ field: [field], kind, name, ...(packageKind ? { packageKind } : {}) }];

const each = (field: string, kind: RegistryKind, names: readonly string[] | undefined): Reference[] =>
  (names ?? []).map((name, i) => ({ field: [field, i], kind, name }));

const rules = (list: readonly { prompt: string }[] | undefined): Reference[] =>
  (list ?? []).map((rule, i) => ({ field: ['prompts', i, 'prompt'], kind: 'prompts', name: rule.prompt }));

type ReferenceTable = { [K in RegistryKind]: (entry: RegistryEntries[K]) => Reference[] };

/** Which fields of each kind name which other kind: the edges `validatePlan` walks. */
const table: ReferenceTable = {
  packages: () => [],
  prompts: () => [],
  tasks: (task) => [
    ...one('package', 'packages', task.package, 'task'),
    ...each('requires', 'packages', task.requires),
    ...one('default_prompt', 'prompts', task.default_prompt),
    ...rules(task.prompts),
  ],
  models: (model) => one('adapter', 'packages', model.adapter, 'adapter'),
  datasets: (dataset) => one('package', 'packages', dataset.package, 'dataset'),
  metrics: (metric) => one('package', 'packages', metric.package, 'metric'),
  reports: (report) => one('package', 'packages', report.package, 'reporter'),
  runs: (run) => [
    ...one('task', 'tasks', run.task),
    ...one('model', 'models', run.model),
    ...one('dataset', 'datasets', run.dataset),
    ...one('prompt', 'prompts', run.prompt),
    ...rules(run.prompts),
    ...(run.metrics ?? []).map((metric, i): Reference => {
      const field = typeof metric === 'string' ? ['metrics', i] : ['metrics', i, 'name'];
      return { field, kind: 'metrics', name: parseMetricRef(metric).name };
    }),
    ...each('reports', 'reports', run.reports),
  ],
  experiments: (plan) => [...each('runs', 'runs', plan.runs), ...each('reports', 'reports', plan.reports)],
};

export function referencesOf<K extends RegistryKind>(kind: K, entry: RegistryEntries[K]): Reference[] {
  return table[kind](entry);
}
