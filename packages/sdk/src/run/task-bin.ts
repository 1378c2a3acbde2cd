import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PluginKind } from '../contract.js';
import { VhbError } from '../errors.js';
import type { TaskPlugin } from '../plugins.js';
import { checkPlugin } from '../verify.js';
import { executeRun } from './execute.js';
import { type RunFile, type RunPlugins, runFileSchema } from './spec.js';

const usage = (name: string) => `Usage: ${name} --run <run.json>

Runs one resolved run with this task: reads the run file the vhb host writes (the run spec and
the entry file of each plugin), answers every item not answered yet, scores, and writes
predictions.jsonl, metrics.jsonl, summary.json and the reports into the spec's outDir.
Prints the summary as JSON on stdout; progress goes to stderr.`;

async function loadEntry<K extends PluginKind>(entry: string, kind: K) {
  const module = (await import(pathToFileURL(resolve(entry)).href)) as { default?: unknown };
  const check = checkPlugin(module.default, kind);
  if (!check.ok) throw new VhbError('VHB_E_PLUGIN_INVALID', `${entry} is not a valid ${kind} plugin: ${check.problems.join('; ')}`);
  return check.plugin as never;
}

async function readRunFile(path: string): Promise<RunFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new VhbError('VHB_E_RUN_SPEC', `cannot read run file ${path}: ${(cause as Error).message}`, {
      hint: 'pass --run with a run.json written by `vhb run --emit-run-files`',
    });
  }
  const parsed = runFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new VhbError('VHB_E_RUN_SPEC', `run file ${path} is malformed: ${problems}`);
  }
  return parsed.data;
}

/** The `bin` of a task package: `npx @vhb/task-ocr --run run.json`, like `python -m` in the seeds. */
export async function runTaskBin(task: TaskPlugin<any>, argv = process.argv.slice(2)): Promise<number> {
  let values: { run?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { run: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    process.stderr.write(`✖ ${(error as Error).message}\n\n${usage(`vhb-task-${task.name}`)}\n`);
    return 2;
  }
  if (values.help || !values.run) {
    process.stderr.write(`${usage(`vhb-task-${task.name}`)}\n`);
    return values.help ? 0 : 2;
  }
  try {
    const file = await readRunFile(values.run);
    const plugins: RunPlugins = {
      task,
      dataset: await loadEntry(file.entries.dataset, 'dataset'),
      adapter: await loadEntry(file.entries.adapter, 'adapter'),
      metrics: await Promise.all(file.entries.metrics.map((entry) => loadEntry(entry, 'metric'))),
      reporters: await Promise.all(file.entries.reporters.map((entry) => loadEntry(entry, 'reporter'))),
    };
    const summary = await executeRun(file.spec, plugins, {
      onEvent: (event) => {
        if (event.type === 'item') {
          const notes = [event.ok ? '' : ' (failed)', event.cached ? ' (cached)' : ''].join('');
          process.stderr.write(`${event.done}/${event.total} ${event.id}${notes}\n`);
        }
        if (event.type === 'retry') {
          process.stderr.write(`retry: item ${event.id} attempt ${event.attempt} failed (${event.code}); next in ${event.waitMs} ms\n`);
        }
        if (event.type === 'log' && event.level !== 'debug') process.stderr.write(`${event.level}: ${event.message}\n`);
      },
    });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary.items.failed > 0 ? 1 : 0;
  } catch (error) {
    const hint = error instanceof VhbError && error.hint ? `\n  ${error.hint}` : '';
    process.stderr.write(`✖ ${(error as Error).message}${hint}\n`);
    return error instanceof VhbError && (error.code === 'VHB_E_RUN_SPEC' || error.code === 'VHB_E_PLUGIN_OPTIONS') ? 2 : 1;
  }
}
