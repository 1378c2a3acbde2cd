// The project the runner's HTTP tests share: this checkout's VQA plugins (local sources), one
// dataset `d` (data/items.jsonl) and one model `m` served by the test engine.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectConfig } from '@vhb/core';

export const plugins = fileURLToPath(new URL('../../../../plugins', import.meta.url));

const PACKAGES = [
  ['task-vqa', 'task'],
  ['dataset-jsonl', 'dataset'],
  ['adapter-openai', 'adapter'],
  ['metric-exact-match', 'metric'],
  ['reporter-json', 'reporter'],
] as const;

/** Registry files (path under registries/ → text) of the shared VQA project. */
export function vqaRegistries(engineBaseUrl: string, modelOptions?: string): Record<string, string> {
  const packages = Object.fromEntries(
    PACKAGES.map(([name, kind]) => [
      `packages/${name}.yaml`,
      `name: ${name}\nkind: ${kind}\nsource: { type: local, path: ${join(plugins, name)} }\n`,
    ]),
  );
  const options = modelOptions === undefined ? '' : `options: ${modelOptions}\n`;
  return {
    ...packages,
    'tasks/vqa.yaml': 'name: vqa\npackage: task-vqa\nsupported_metrics: [exact-match]\n',
    'datasets/d.yaml': 'name: d\npackage: dataset-jsonl\npath: data\noptions: { manifest: items.jsonl }\n',
    'models/m.yaml': `name: m\nadapter: adapter-openai\nmodel_id: test-model\nendpoint: ${engineBaseUrl}\n${options}`,
    'metrics/exact-match.yaml': 'name: exact-match\npackage: metric-exact-match\n',
    'reports/json.yaml': 'name: json\npackage: reporter-json\n',
  };
}

/** Writes `files` (path relative to `root` → text), creating folders. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), text);
  }
}

/** The project config of a project folder made by these tests (prod mode, everything inside it). */
export function projectConfig(root: string): ProjectConfig {
  return {
    root,
    runMode: 'prod',
    registriesDir: join(root, 'registries'),
    resultsDir: join(root, 'results'),
    cacheDir: join(root, '.vhb-cache'),
  };
}
