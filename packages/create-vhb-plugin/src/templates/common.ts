import type { Kind, PluginNames } from '../names.js';
import { VERSIONS } from '../versions.js';
import type { KindTemplate } from './types.js';

/** What every scaffold is built from. */
export interface ScaffoldInput {
  names: PluginNames;
  kind: Kind;
  /** The `@vhb/sdk` dependency spec (`^0.1.0`, `file:/abs/packages/sdk`). */
  sdk: string;
}

/** package.json of the new plugin. */
export function packageJson({ names, kind, sdk }: ScaffoldInput, template: KindTemplate): string {
  const pkg = {
    name: names.packageName,
    version: '0.1.0',
    description: template.description,
    type: 'module',
    license: 'MIT',
    sideEffects: false,
    keywords: ['vhb-plugin', `vhb-${kind}`],
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    ...(kind === 'metric' ? { bin: { [`vhb-metric-${names.pluginName}`]: './dist/bin.js' } } : {}),
    files: ['dist'],
    vhb: { kind, contract: 1 },
    scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run', prepack: 'npm run build' },
    dependencies: { '@vhb/sdk': sdk },
    devDependencies: { '@types/node': VERSIONS.typesNode, typescript: VERSIONS.typescript, vitest: VERSIONS.vitest },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** tsconfig.json: ESM (NodeNext), strict, src → dist with declarations. */
export function tsconfig(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      declaration: true,
      sourceMap: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** src/bin.ts of a metric: `vhb-metric-<name> preds.jsonl` scores a file. */
export function metricBin(): string {
  return `#!/usr/bin/env node
import { runMetricBin } from '@vhb/sdk';
import metric from './index.js';

process.exitCode = await runMetricBin(metric);
`;
}

/** registry/<folder>.yaml: the entry to paste into registries/packages/ (npm source). */
export function registryEntry({ names, kind }: ScaffoldInput, template: KindTemplate): string {
  return `# Paste into registries/packages/${names.folder}.yaml of a VLMHyperBench checkout.
# Where the code of ${names.folder} comes from in prod: the npm registry.
name: ${names.folder}
kind: ${kind}
description: ${JSON.stringify(template.description)}
source:
  type: npm
  package: ${JSON.stringify(names.packageName)}
  version: "^0.1.0"
`;
}

export function gitignore(): string {
  return 'node_modules/\ndist/\n*.tgz\n';
}

/** README.md: what the package is, its contract, how to build, test, publish and register it. */
export function readme(input: ScaffoldInput, template: KindTemplate): string {
  const { names, kind } = input;
  const metricUse =
    kind === 'metric'
      ? `
Then name it in a metrics registry entry, \`registries/metrics/${names.pluginName}.yaml\`:

\`\`\`yaml
name: ${names.pluginName}
description: ${JSON.stringify(template.description)}
package: ${names.folder}
\`\`\`

Standalone, in any Node project:

\`\`\`js
import metric from '${names.packageName}';

metric.score('It is Paris.', ['paris'], { caseSensitive: false }); // { score: 1 }
\`\`\`
`
      : '';
  return `# ${names.packageName}

${template.description}.

## What is this?

A VLMHyperBench **${kind}** plugin named \`${names.pluginName}\`, scaffolded by
\`create-vhb-plugin\`. It depends on \`@vhb/sdk\` only, and \`package.json#vhb\`
(\`{ "kind": "${kind}", "contract": 1 }\`) tells the plugin host what it provides.

## Contract

${template.contract}

The host loads the package's default export, checks it against plugin contract 1 (the same check
as \`checkPlugin(plugin, '${kind}')\` from \`@vhb/sdk\`), validates the options from the registry
YAML with the plugin's \`options\` schema, and only then calls its hooks.

## The example

${template.usage(names)}

## Develop

\`\`\`sh
npm install
npm run build   # tsc: src → dist
npm test        # vitest: test/${names.folder}.test.ts
npm pack        # the tarball a registry would serve
\`\`\`

## Use in VLMHyperBench

Publish (\`npm publish\`, or the changesets flow), then paste \`registry/${names.folder}.yaml\` into
\`registries/packages/\`: the host installs the package from npm just in time.
For development, a \`registries/packages/${names.folder}.dev.yaml\` overlay with
\`source: { type: local, path: <this folder> }\` uses the folder in place (\`RUN_MODE=dev\`).
${metricUse}`;
}
