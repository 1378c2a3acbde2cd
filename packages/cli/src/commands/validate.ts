import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import { type Output, paint } from '../ui/output.js';

export interface ValidateOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
}

/** `vhb validate [plan]`: every problem of the registries and of the plan's references, at once. */
export async function validateCommand(plan: string | undefined, options: ValidateOptions, output: Output): Promise<number> {
  const project = await openProject(options, output);
  const diagnostics = plan === undefined ? project.registry.validateAll() : project.registry.validatePlan(plan);
  const errors = printDiagnostics(output, diagnostics);
  if (errors > 0) {
    output.err(paint(output).red(`${errors} problem${errors === 1 ? '' : 's'} found`));
    return EXIT.invalidInput;
  }
  output.out(
    `${paint(output).green('✔')} ${plan === undefined ? 'registries' : `plan ${plan}`} valid (RUN_MODE=${project.config.runMode})`,
  );
  return EXIT.ok;
}
