import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BenchOptions, runBench } from './bench.js';
import type { MetricName } from './ours.js';
import { pythonVersion } from './python.js';
import { formatBench, formatStream } from './report.js';
import { runStream } from './stream.js';

/**
 * Default Python subset sizes. The pure-Python reference scores short VQA answers fast enough to
 * take all 100,000; on OCR lines of up to 400 characters its O(n·m) DP (a full matrix, for the
 * backtrace) would take tens of minutes, so it scores a seeded random subset, each well under 60 s.
 */
export const DEFAULT_PYTHON_ITEMS: Record<MetricName, number> = { anls: 100_000, cer: 10_000, wer: 100_000 };

export const USAGE = `Usage: node tools/bench/dist/metrics.js [options]
       pnpm --filter @vhb-tools/bench bench:metrics [options]

Times ANLS, CER and WER (@vhb/metric-*) over generated (prediction, references) pairs, and the
plain Python reference (tools/bench/python/reference.py) over the same pairs, in the same run.
Exit status 1 when the two disagree beyond 1e-9, or when streaming exceeds 300 MB peak RSS.

Options:
  --items N            pairs per metric (default 100000)
  --seed N             seed of the generated pairs (default 42)
  --python PATH        Python to run the reference with (default python3)
  --no-python          skip the Python reference (no ratios, no agreement check)
  --python-items LIST  pairs Python scores per metric, a seeded random subset when fewer than
                       --items (default anls=${DEFAULT_PYTHON_ITEMS.anls},cer=${DEFAULT_PYTHON_ITEMS.cer},wer=${DEFAULT_PYTHON_ITEMS.wer})
  --stream N           instead: score N items streaming and print the peak RSS
  --json FILE          also write the figures as JSON
  -h, --help           this text`;

/** Where the benchmark prints; the process's streams unless a test passes its own. */
export interface Output {
  write(text: string): unknown;
}

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function pythonItems(list: string | undefined, items: number): Record<MetricName, number> {
  const out = { ...DEFAULT_PYTHON_ITEMS };
  for (const part of list ? list.split(',') : []) {
    const [name, value] = part.split('=');
    if (name !== 'anls' && name !== 'cer' && name !== 'wer') throw new Error(`--python-items: unknown metric "${name}" (anls, cer, wer)`);
    out[name] = count(value, `--python-items ${name}`, 0);
  }
  for (const name of Object.keys(out) as MetricName[]) out[name] = Math.min(out[name], items);
  return out;
}

/** Runs the benchmark with command-line arguments; resolves to the exit status. */
export async function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm bench:metrics -- --stream N` hands the script a leading "--".
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        items: { type: 'string' },
        seed: { type: 'string' },
        python: { type: 'string' },
        'no-python': { type: 'boolean' },
        'python-items': { type: 'string' },
        stream: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    err.write(`✖ ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  let json: unknown;
  let ok: boolean;
  try {
    const seed = Number(values.seed ?? 42);
    if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);
    if (values.stream !== undefined) {
      const total = count(values.stream as string, '--stream', 1);
      const result = runStream(total, seed, (done) => err.write(`  … ${done.toLocaleString('en-US')} items\n`));
      out.write(`${formatStream(result)}\n`);
      ({ ok } = result);
      json = result;
    } else {
      const items = count(values.items as string | undefined, '--items', 100_000);
      const python = values['no-python'] ? null : ((values.python as string | undefined) ?? 'python3');
      if (python && pythonVersion(python) === null) throw new Error(`cannot run "${python}"; pass --python PATH or --no-python`);
      const options: BenchOptions = { items, seed, python, pythonItems: pythonItems(values['python-items'] as string | undefined, items) };
      const result = await runBench(options);
      out.write(`${formatBench(result)}\n`);
      ({ ok } = result);
      json = result;
    }
  } catch (error) {
    err.write(`✖ ${(error as Error).message}\n`);
    return 2;
  }
  if (typeof values.json === 'string') writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
  return ok ? 0 : 1;
}
