import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PluginKind } from '../contract.js';
import { VhbError } from '../errors.js';
import type { ReporterPlugin, TaskPlugin } from '../plugins.js';
import type { RunSummary } from '../summary.js';
import { checkPlugin } from '../verify.js';
import { executeRun } from './execute.js';
import { type RunEvent, type RunFile, type RunPlugins, runFileSchema } from './spec.js';

const usage = (name: string) => `Usage: ${name} --run <run.json> [--events] [--refresh-cache]

Runs one resolved run with this task: reads the run file the vhb host writes (the run spec and
the entry file of each plugin), answers every item not answered yet, scores, and writes
predictions.jsonl, metrics.jsonl, summary.json and the reports into the spec's outDir.
Prints the summary as JSON on stdout; progress goes to stderr.

  --events         machine-readable stdout, one JSON object per line, for a host running this
                   bin elsewhere (a container): {"vhb":"event","event":<RunEvent>} while it works,
                   then {"vhb":"summary","summary":<RunSummary>,"reports":[{"name","files"}]}, or
                   {"vhb":"error","code","message","hint"} when the run fails. Nothing on stderr
                   but what plugins print.
  --refresh-cache  ask every item again instead of answering from the response cache`;

/** One line of `--events` output. */
export type TaskBinLine =
  | { vhb: 'event'; event: RunEvent }
  | { vhb: 'summary'; summary: RunSummary; reports: { name: string; files: string[] }[] }
  | { vhb: 'error'; code: string; message: string; hint?: string };

const writeLine = (line: TaskBinLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** The human progress on stderr, as the bin prints it without `--events`. */
function printProgress(event: RunEvent): void {
  if (event.type === 'item') {
    const notes = [event.ok ? '' : ' (failed)', event.cached ? ' (cached)' : ''].join('');
    process.stderr.write(`${event.done}/${event.total} ${event.id}${notes}\n`);
  }
  if (event.type === 'retry') {
    process.stderr.write(`retry: item ${event.id} attempt ${event.attempt} failed (${event.code}); next in ${event.waitMs} ms\n`);
  }
  if (event.type === 'log' && event.level !== 'debug') process.stderr.write(`${event.level}: ${event.message}\n`);
}

/** The reporter, noting the files it renders (the host keeps them as the run's report index). */
function recording(reporter: ReporterPlugin, name: string, into: { name: string; files: string[] }[]): ReporterPlugin {
  const wrapped: ReporterPlugin = Object.create(reporter);
  wrapped.render = async (summary, options, ctx) => {
    const files = await reporter.render(summary, options, ctx);
    into.push({ name, files: files.map((f) => f.path) });
    return files;
  };
  return wrapped;
}

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
  let values: { run?: string; help?: boolean; events?: boolean; 'refresh-cache'?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        run: { type: 'string' },
        events: { type: 'boolean' },
        'refresh-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`✖ ${(error as Error).message}\n\n${usage(`vhb-task-${task.name}`)}\n`);
    return 2;
  }
  if (values.help || !values.run) {
    process.stderr.write(`${usage(`vhb-task-${task.name}`)}\n`);
    return values.help ? 0 : 2;
  }
  const events = values.events === true;
  try {
    const file = await readRunFile(values.run);
    const plugins: RunPlugins = {
      task,
      dataset: await loadEntry(file.entries.dataset, 'dataset'),
      adapter: await loadEntry(file.entries.adapter, 'adapter'),
      metrics: await Promise.all(file.entries.metrics.map((entry) => loadEntry(entry, 'metric'))),
      reporters: await Promise.all(file.entries.reporters.map((entry) => loadEntry(entry, 'reporter'))),
    };
    const reports: { name: string; files: string[] }[] = [];
    if (events) plugins.reporters = plugins.reporters.map((r, i) => recording(r, file.spec.reporters[i]?.name ?? r.name, reports));
    const summary = await executeRun(file.spec, plugins, {
      onEvent: events ? (event) => writeLine({ vhb: 'event', event }) : printProgress,
      ...(values['refresh-cache'] ? { refreshCache: true } : {}),
    });
    if (events) writeLine({ vhb: 'summary', summary, reports });
    else process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary.items.failed > 0 ? 1 : 0;
  } catch (error) {
    const vhb = error instanceof VhbError ? error : undefined;
    const message = (error as Error)?.message ?? String(error);
    if (events) writeLine({ vhb: 'error', code: vhb?.code ?? 'VHB_E_RUN_FAILED', message, ...(vhb?.hint ? { hint: vhb.hint } : {}) });
    else process.stderr.write(`✖ ${message}${vhb?.hint ? `\n  ${vhb.hint}` : ''}\n`);
    return vhb && (vhb.code === 'VHB_E_RUN_SPEC' || vhb.code === 'VHB_E_PLUGIN_OPTIONS') ? 2 : 1;
  }
}
