/** How a bench main reads its arguments: positive integers into numeric options, `--quick` presets, `--help`. */
export interface BenchArgSpec<T> {
  /** The script's name in messages (`bench:queue`). */
  name: string;
  usage: string;
  defaults: T;
  /** What `--quick` sets, except options given explicitly. */
  quick: Partial<T>;
  /** Flags taking a positive integer, and the option each sets. */
  numeric: Record<string, keyof T>;
  /** Any other flag: how many arguments it took (1 or 2), or 0 when it is not one of the script's. */
  other?: (arg: string, value: string | undefined, options: T) => number;
}

type Out = { write(text: string): unknown };

/** The options `args` ask for, or the exit status when there is nothing to run: 0 after `--help`, 2 after a bad argument (with the usage). */
export function parseBenchArgs<T extends object>(args: string[], spec: BenchArgSpec<T>, stdout: Out, stderr: Out): T | number {
  const options: T = { ...spec.defaults };
  const explicit = new Set<keyof T>();
  let quick = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if (arg === '--help' || arg === '-h') {
      stdout.write(spec.usage);
      return 0;
    }
    const key = Object.hasOwn(spec.numeric, arg) ? spec.numeric[arg] : undefined;
    if (key !== undefined && value !== undefined && /^[1-9]\d*$/.test(value)) {
      (options[key] as number) = Number(value);
      explicit.add(key);
      i += 1;
    } else if (arg === '--quick') quick = true;
    else {
      const taken = spec.other?.(arg, value, options) ?? 0;
      if (taken === 0) {
        stderr.write(`${spec.name}: bad argument ${JSON.stringify(arg)}\n${spec.usage}`);
        return 2;
      }
      i += taken - 1;
    }
  }
  if (quick) {
    for (const [key, value] of Object.entries(spec.quick) as [keyof T, T[keyof T]][]) {
      if (!explicit.has(key)) options[key] = value;
    }
  }
  return options;
}
