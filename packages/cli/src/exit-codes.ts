/** The vhb command's exit codes. */
export const EXIT = {
  /** Everything asked for was done (skipped runs included). */
  ok: 0,
  /** A run failed (a plugin could not load, or the run crashed). */
  runFailed: 1,
  /** The input was invalid: arguments, config, registries or plan. */
  invalidInput: 2,
} as const;

/** Error code prefixes whose cause is the user's input, so the exit code is 2. */
const INPUT_ERROR_PREFIXES = ['VHB_E_CLI_', 'VHB_E_CONFIG_', 'VHB_E_REGISTRY_', 'VHB_E_PLAN_', 'VHB_E_PLUGIN_OPTIONS', 'VHB_E_TRACKER_URL'];

/** 2 for errors in what the user gave us, 1 for everything else. */
export function exitCodeFor(code: string | undefined): number {
  return code && INPUT_ERROR_PREFIXES.some((prefix) => code.startsWith(prefix)) ? EXIT.invalidInput : EXIT.runFailed;
}
