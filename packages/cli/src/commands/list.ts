import { relative } from 'node:path';
import { VhbError } from '@vhb/sdk';
import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { table } from '../ui/format.js';
import type { Output } from '../ui/output.js';

/** What `vhb list` accepts, mapped to registry folders. */
export const LISTABLE = {
  tasks: 'tasks',
  models: 'models',
  datasets: 'datasets',
  metrics: 'metrics',
  plugins: 'packages',
  packages: 'packages',
  prompts: 'prompts',
  reports: 'reports',
  runs: 'runs',
  experiments: 'experiments',
  plans: 'experiments',
} as const;
export type Listable = keyof typeof LISTABLE;

function describe(kind: string, entry: Record<string, any>): string {
  if (kind === 'packages') {
    const s = entry.source;
    const where = s.type === 'npm' ? `npm ${s.package}@${s.version}` : s.type === 'git' ? `git ${s.url}#${s.ref}` : `local ${s.path}`;
    return `${entry.kind ?? ''}  ${where}`.trim();
  }
  return entry.description ?? entry.title ?? '';
}

/** `vhb list <what>`: the entries of one registry, with where each is defined. */
export async function listCommand(what: string, options: { cwd: string; mode?: 'prod' | 'dev' }, output: Output): Promise<number> {
  if (!(what in LISTABLE)) {
    throw new VhbError('VHB_E_CLI_ARGUMENT', `cannot list "${what}"`, { hint: `choose one of: ${Object.keys(LISTABLE).join(', ')}` });
  }
  const kind = LISTABLE[what as Listable];
  const project = await openProject(options, output);
  const rows = project.registry
    .list(kind)
    .map((found) => [found.entry.name, describe(kind, found.entry), relative(options.cwd, found.file) || found.file]);
  for (const line of table(['name', 'description', 'file'], rows)) output.out(line);
  return EXIT.ok;
}
