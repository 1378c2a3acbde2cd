import { buildStageGraph, type PlanStage, planExperiment, type StageState } from '@vhb/runner';
import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import { type Output, paint } from '../ui/output.js';
import { DEFAULT_PLAN } from './run.js';

export interface PlanOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  json?: boolean;
}

/** A stage's state in words: `done (4/4, 1 failed)`, `partial (2/4)`, `partial (2 answered)`, `pending`. */
export function stateText(status: StageState): string {
  if (status.state === 'pending') return 'pending';
  const failed = status.failed ? `, ${status.failed} failed` : '';
  if (status.answered === undefined) return status.state;
  const count = status.total === undefined ? `${status.answered} answered` : `${status.answered}/${status.total}`;
  return `${status.state} (${count}${failed})`;
}

/** `vhb plan [plan]`: the plan's stages per run, shared stages marked, each done, partial or pending. */
export async function planCommand(planArg: string | undefined, options: PlanOptions, output: Output): Promise<number> {
  const project = await openProject(options, output);
  const planName = planArg ?? DEFAULT_PLAN;
  if (printDiagnostics(output, project.registry.validatePlan(planName)) > 0) return EXIT.invalidInput;
  const plan = planExperiment(project.registry, project.config, planName);
  const graph = await buildStageGraph(plan);
  if (options.json) {
    output.out(JSON.stringify(graph, null, 2));
    return EXIT.ok;
  }
  const pc = paint(output);
  const byId = new Map(graph.stages.map((s) => [s.id, s]));
  const mark = (s: PlanStage) => (s.status.state === 'done' ? pc.green('✔') : s.status.state === 'partial' ? pc.yellow('◐') : pc.dim('·'));
  const idWidth = Math.max(...graph.stages.map((s) => s.id.length));
  const stateWidth = Math.max(...graph.stages.map((s) => stateText(s.status).length));
  const shared = graph.stages.filter((s) => s.runs.length > 1).length;
  output.out(
    `plan ${plan.name} · ${plan.runs.length} run${plan.runs.length === 1 ? '' : 's'} · ${graph.stages.length} stages (${shared} shared)`,
  );
  for (const run of plan.runs) {
    output.out('');
    output.out(`${run.name}  ${pc.dim(`${run.spec.task.name} · ${run.spec.model.name} · ${run.spec.dataset.name}`)}`);
    for (const id of graph.runs[run.name] ?? []) {
      const stage = byId.get(id) as PlanStage;
      const others = stage.runs.filter((r) => r !== run.name);
      const note = others.length ? pc.cyan(`shared with ${others.join(', ')}`) : '';
      output.out(`  ${mark(stage)} ${id.padEnd(idWidth)}  ${stateText(stage.status).padEnd(stateWidth)}  ${note}`.trimEnd());
    }
  }
  const count = (state: StageState['state']) => graph.stages.filter((s) => s.status.state === state).length;
  output.out('');
  output.out(`${count('done')} done, ${count('partial')} partial, ${count('pending')} pending`);
  return EXIT.ok;
}
