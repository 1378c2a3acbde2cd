import { resolve } from 'node:path';
import { isVhbError } from '@vhb/sdk';
import { Command, CommanderError, Option } from 'commander';
import { LISTABLE, listCommand } from './commands/list.js';
import { planCommand } from './commands/plan.js';
import { DEFAULT_PLAN, runCommand } from './commands/run.js';
import { type ServeOptions, serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { type WorkerOptions, workerCommand } from './commands/worker.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { type Output, printError, processOutput } from './ui/output.js';
import { VERSION } from './version.js';

interface GlobalOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  debug?: boolean;
}

const modeOption = () =>
  new Option(
    '--mode <mode>',
    'where plugins come from: prod (registry sources) or dev (*.dev.yaml overlays); default: RUN_MODE, then the project config',
  ).choices(['prod', 'dev']);

const trackerHelp =
  'stage tracker: postgres://user:password@host:port/database, sqlite:<path> or a path (default: VHB_TRACKER_URL, then results/<plan>/tracker.sqlite)';

function buildProgram(setResult: (code: Promise<number>) => void, output: () => Output): Command {
  const program = new Command('vhb')
    .description('VLMHyperBench: declarative, pluggable benchmarks for vision-language models')
    .version(VERSION, '-v, --version')
    .option('-C, --cwd <dir>', 'project folder (where vhb.config or package.json#vhb is found)', process.cwd())
    .option('--debug', 'show stack traces and plugin host logs')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const globals = (): GlobalOptions => {
    const options = program.opts<GlobalOptions>();
    return { ...options, cwd: resolve(options.cwd) };
  };

  program
    .command('run')
    .description('run an experiment plan: inference, evaluation, reports (resumes where an earlier run stopped)')
    .argument('[plan]', 'plan name in registries/experiments/, or a path to a plan YAML', DEFAULT_PLAN)
    .addOption(modeOption())
    .option('--fresh', "discard earlier results of the plan's runs and start over")
    .option('--update', 'install npm plugins again, so version ranges pick up newer releases (the cache is used otherwise)')
    .option('--queue <url>', 'queue the runs on Redis (redis://host:port[/db]) for `vhb worker`s and wait for them')
    .option('--tracker <url|path>', trackerHelp)
    .addHelpText(
      'after',
      '\nExamples:\n  $ vhb run                 # the embedded demo plan\n  $ vhb run demo --fresh\n  $ RUN_MODE=prod vhb run my-plan --fresh --update',
    )
    .action((plan: string, opts: { mode?: 'prod' | 'dev'; fresh?: boolean; update?: boolean; tracker?: string; queue?: string }) =>
      setResult(runCommand(plan, { ...globals(), ...opts }, output())),
    );

  program
    .command('worker')
    .description('take queued runs (`vhb run --queue`) that fit this machine and run them, until Ctrl-C or SIGTERM')
    .requiredOption('--queue <url>', 'the Redis the runs are queued on: redis://host:port[/db]')
    .option('--concurrency <n>', 'runs at once on this worker', (value) => Number.parseInt(value, 10), 1)
    .option('--name <name>', 'name shown for this worker (default: <hostname>-<pid>)')
    .option('--lock-duration <ms>', "how long a run's claim lasts unrenewed: a killed worker's runs are retried after it", (value) =>
      Number.parseInt(value, 10),
    )
    .option('--stalled-interval <ms>', 'how often to look for runs of killed workers', (value) => Number.parseInt(value, 10))
    .addHelpText(
      'after',
      '\nEvery worker must see the project at the path `vhb run --queue` ran in (a shared volume).\n\nExamples:\n  $ vhb worker --queue redis://queue-host:6379\n  $ vhb worker --queue redis://:secret@queue-host:6379/2 --concurrency 2 --name gpu-box-1',
    )
    .action((opts: Omit<WorkerOptions, 'debug'>) => setResult(workerCommand({ ...opts, debug: globals().debug }, output())));

  program
    .command('plan')
    .description("show a plan's stages per run (sync, prepare, inference, evaluation, report), the shared ones, and what is already done")
    .argument('[plan]', 'plan name in registries/experiments/, or a path to a plan YAML', DEFAULT_PLAN)
    .addOption(modeOption())
    .option('--json', 'print the stage graph as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ vhb plan demo\n  $ vhb plan my-plan --json | jq \'.stages[] | select(.status.state != "done")\'',
    )
    .action((plan: string, opts: { mode?: 'prod' | 'dev'; json?: boolean }) =>
      setResult(planCommand(plan, { ...globals(), ...opts }, output())),
    );

  program
    .command('status')
    .description('show where every run of a plan stands: each stage done, partial, pending, running, failed or interrupted')
    .argument('[plan]', 'plan name in registries/experiments/, or a path to a plan YAML', DEFAULT_PLAN)
    .addOption(modeOption())
    .option('--json', 'print the status as JSON')
    .option('--tracker <url|path>', trackerHelp)
    .addHelpText(
      'after',
      '\nExamples:\n  $ vhb status demo\n  $ vhb status my-plan --json | jq \'.runs[].stages[] | select(.state == "failed")\'',
    )
    .action((plan: string, opts: { mode?: 'prod' | 'dev'; json?: boolean; tracker?: string }) =>
      setResult(statusCommand(plan, { ...globals(), ...opts }, output())),
    );

  program
    .command('validate')
    .description('check registries and a plan: every problem at once, with file:line:column (exit 2 when any)')
    .argument('[plan]', 'plan name or path; without it, every registry entry is checked')
    .addOption(modeOption())
    .action((plan: string | undefined, opts: { mode?: 'prod' | 'dev' }) =>
      setResult(validateCommand(plan, { ...globals(), ...opts }, output())),
    );

  program
    .command('list')
    .description('list registry entries')
    .argument('<what>', Object.keys(LISTABLE).join(' | '))
    .addOption(modeOption())
    .action((what: string, opts: { mode?: 'prod' | 'dev' }) => setResult(listCommand(what, { ...globals(), ...opts }, output())));

  program
    .command('serve')
    .description("serve the registry's models behind one OpenAI-compatible gateway (auth, load/unload, timing, metrics) until Ctrl-C")
    .addOption(modeOption())
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', (value) => Number.parseInt(value, 10), 8080)
    .option('--api-key-file <file>', 'file with one API key per line (besides VHB_GATEWAY_API_KEYS)')
    .option('--no-auth', 'serve without an API key (a warning is logged)')
    .option('--load <models...>', 'models to load at start')
    .option('--dataset-root <dir>', 'folder image paths in requests are read from (default: <project>/datasets)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ VHB_GATEWAY_API_KEYS=secret vhb serve --load tesseract-eng\n  $ vhb serve --port 9000 --api-key-file keys.txt',
    )
    .action((opts: Omit<ServeOptions, 'cwd'>) => setResult(serveCommand({ ...globals(), ...opts }, output())));
  return program;
}

/** Runs the vhb command line; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], makeOutput: (debug: boolean) => Output = processOutput): Promise<number> {
  let result: Promise<number> | undefined;
  let output: Output | undefined;
  const getOutput = () => (output ??= makeOutput(Boolean(program.opts().debug)));
  const program = buildProgram((code) => {
    result = code;
  }, getOutput);
  try {
    await program.parseAsync(argv);
    return result ? await result : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return EXIT.ok;
      return EXIT.invalidInput;
    }
    printError(getOutput(), error);
    return exitCodeFor(isVhbError(error) ? error.code : undefined);
  }
}
