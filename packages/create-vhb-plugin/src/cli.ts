import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { CreateError } from './errors.js';
import { KINDS } from './names.js';
import { scaffold } from './scaffold.js';

/** Where the CLI reads and writes; the process's streams unless a test passes its own. */
export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export const USAGE = `Usage: create-vhb-plugin <name> --kind ${KINDS.join('|')} [--sdk <spec>]
       npm create vhb-plugin@latest <name> -- --kind metric

Scaffolds a VLMHyperBench plugin package into ./<name> (the unscoped part of a scoped name):
package.json with "vhb": { kind, contract: 1 }, tsconfig.json, src/index.ts (a working example
plugin), test/<name>.test.ts, README.md and registry/<name>.yaml (the entry for registries/packages/).
Asks for what is missing when run in a terminal.

Options:
  --kind <kind>  metric, dataset, task, adapter or reporter
  --sdk <spec>   the @vhb/sdk dependency (default ^0.1.0; e.g. file:/path/to/packages/sdk)
  -h, --help     show this text
`;

async function ask(io: CliIo, name: string | undefined, kind: string | undefined): Promise<{ name: string; kind: string }> {
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    const gotName = name ?? (await rl.question('Package name (e.g. metric-length-ratio or @acme/metric-length-ratio): ')).trim();
    const gotKind = kind ?? ((await rl.question(`Kind (${KINDS.join(', ')}) [metric]: `)).trim() || 'metric');
    return { name: gotName, kind: gotKind };
  } finally {
    rl.close();
  }
}

/** Runs the CLI on `argv` (without node and the script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new CreateError('VHB_E_CREATE_USAGE', (error as Error).message, 'run create-vhb-plugin --help');
    }
    if (parsed.values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (parsed.positionals.length > 1) {
      throw new CreateError(
        'VHB_E_CREATE_USAGE',
        `one name expected, got ${parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`,
        USAGE,
      );
    }
    let name = parsed.positionals[0];
    let kind = parsed.values.kind;
    if (name === undefined || kind === undefined) {
      if (!io.stdin.isTTY) {
        const missing = [name === undefined ? 'a package name' : '', kind === undefined ? '--kind' : ''].filter(Boolean).join(' and ');
        throw new CreateError(
          'VHB_E_CREATE_USAGE',
          `missing ${missing} (stdin is not a terminal, so nothing is asked)`,
          USAGE.split('\n')[0] ?? '',
        );
      }
      ({ name, kind } = await ask(io, name, kind));
    }
    const result = await scaffold({ name, kind, cwd: io.cwd, ...(parsed.values.sdk === undefined ? {} : { sdk: parsed.values.sdk }) });
    io.stdout.write(
      `Created ${result.kind} plugin "${result.pluginName}" (${result.packageName}) in ${result.dir}:\n` +
        result.files.map((file) => `  ${file}\n`).join('') +
        `\nNext:\n  cd ${result.folder}\n  npm install\n  npm run build && npm test\n` +
        `  then publish, and paste registry/${result.folder}.yaml into registries/packages/\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CreateError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: { kind: { type: 'string' }, sdk: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}
