import { join } from 'node:path';
import {
  buildStageGraph,
  isStageAlive,
  maskTrackerUrl,
  type PlanStage,
  planExperiment,
  planResultsDir,
  readTracker,
  resolveTrackerUrl,
  type StageState,
  TRACKER_FILE,
  type TrackedRun,
  type TrackedStage,
} from '@vhb/runner';
import { EXIT } from '../exit-codes.js';
import { openProject } from '../project.js';
import { printDiagnostics } from '../ui/diagnostics.js';
import { type Output, paint } from '../ui/output.js';
import { stateText } from './plan.js';
import { DEFAULT_PLAN } from './run.js';

export interface StatusOptions {
  cwd: string;
  mode?: 'prod' | 'dev';
  json?: boolean;
  /** The tracker to read (`--tracker`): a PostgreSQL URL, `sqlite:<path>` or a path; else VHB_TRACKER_URL, else results/<plan>/tracker.sqlite. */
  tracker?: string;
}

/** Where a stage stands: the disk's done / partial / pending, or the tracker's running / failed / interrupted. */
export type StatusState = 'done' | 'partial' | 'pending' | 'running' | 'failed' | 'interrupted';

export interface StageStatus {
  id: string;
  kind: PlanStage['kind'];
  state: StatusState;
  /** Item counts from predictions.jsonl (inference). */
  answered?: number;
  total?: number;
  failed?: number;
  error?: { code: string; message: string };
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
  pid?: number;
}

export interface RunStatusReport {
  run: string;
  /** How the run's last invocation ended, as the tracker recorded it. */
  last?: TrackedRun['status'] | 'interrupted';
  stages: StageStatus[];
}

export interface PlanStatus {
  plan: string;
  /** The tracker database read (a PostgreSQL URL with its password masked), or null when there is none yet. */
  tracker: string | null;
  runs: RunStatusReport[];
}

/** The tracker's record of a run's stage: its own row, else the row of the run that ran the shared stage (latest). */
function trackedFor(stages: TrackedStage[], run: string, stage: PlanStage): TrackedStage | undefined {
  const owner = stage.kind === 'prepare' ? '' : run;
  const own = stages.find((s) => s.run === owner && s.stageId === stage.id);
  if (own) return own;
  const others = stages.filter((s) => s.stageId === stage.id && stage.runs.includes(s.run));
  return others.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '')).at(-1);
}

function merge(stage: PlanStage, tracked: TrackedStage | undefined): StageStatus {
  const disk: StageState = stage.status;
  const counts = disk.state === 'pending' ? {} : { answered: disk.answered, total: disk.total, failed: disk.failed };
  let state: StatusState = disk.state;
  // The environment leaves no mark on disk for a run that was skipped: the tracker's word stands for it.
  if (tracked?.status === 'done' && stage.kind === 'prepare') state = 'done';
  else if (tracked && disk.state !== 'done') {
    if (tracked.status === 'running') state = isStageAlive(tracked) ? 'running' : 'interrupted';
    else if (tracked.status === 'failed') state = 'failed';
  }
  const out: StageStatus = { id: stage.id, kind: stage.kind, state };
  for (const [key, value] of Object.entries(counts)) if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  if (tracked) {
    if (state === 'failed' && tracked.error) out.error = tracked.error;
    out.attempts = tracked.attempts;
    if (tracked.startedAt) out.startedAt = tracked.startedAt;
    if (tracked.finishedAt) out.finishedAt = tracked.finishedAt;
    if (tracked.pid !== undefined) out.pid = tracked.pid;
  }
  return out;
}

/** A plan's status: per run, each stage's state from the disk and the tracker. */
export async function planStatus(planArg: string | undefined, options: StatusOptions, output: Output): Promise<PlanStatus | number> {
  const project = await openProject(options, output);
  const planName = planArg ?? DEFAULT_PLAN;
  if (printDiagnostics(output, project.registry.validatePlan(planName)) > 0) return EXIT.invalidInput;
  const plan = planExperiment(project.registry, project.config, planName);
  const graph = await buildStageGraph(plan);
  const dir = planResultsDir(plan);
  const location = resolveTrackerUrl(options.tracker, { cwd: options.cwd }) ?? (dir ? join(dir, TRACKER_FILE) : undefined);
  const tracked = location ? await readTracker(location, plan.name) : undefined;
  const byId = new Map(graph.stages.map((s) => [s.id, s]));
  const runs = plan.runs.map((run): RunStatusReport => {
    const stages = (graph.runs[run.name] ?? []).map((id) => {
      const stage = byId.get(id) as PlanStage;
      return merge(stage, trackedFor(tracked?.stages ?? [], run.name, stage));
    });
    const record = tracked?.runs.find((r) => r.run === run.name);
    const last = record ? (record.status === 'running' && !isStageAlive(record) ? 'interrupted' : record.status) : undefined;
    return { run: run.name, ...(last ? { last } : {}), stages };
  });
  return { plan: plan.name, tracker: tracked && location ? maskTrackerUrl(location) : null, runs };
}

/** `vhb status [plan]`: where every run of a plan stands, stage by stage. */
export async function statusCommand(planArg: string | undefined, options: StatusOptions, output: Output): Promise<number> {
  const status = await planStatus(planArg, options, output);
  if (typeof status === 'number') return status;
  if (options.json) {
    output.out(JSON.stringify(status, null, 2));
    return EXIT.ok;
  }
  const pc = paint(output);
  const marks: Record<StatusState, string> = {
    done: pc.green('✔'),
    partial: pc.yellow('◐'),
    pending: pc.dim('·'),
    running: pc.cyan('▶'),
    failed: pc.red('✖'),
    interrupted: pc.yellow('!'),
  };
  const words = (s: StageStatus): string => {
    if (s.state === 'done' || s.state === 'partial' || s.state === 'pending') {
      return stateText(
        s.state === 'pending'
          ? { state: 'pending' }
          : ({ state: s.state, answered: s.answered, total: s.total, failed: s.failed } as StageState),
      );
    }
    const counts = s.answered === undefined ? '' : ` (${s.total === undefined ? `${s.answered} answered` : `${s.answered}/${s.total}`})`;
    if (s.state === 'interrupted') return `interrupted${counts}: its process ${s.pid ?? '?'} is gone, \`vhb run\` resumes it`;
    if (s.state === 'failed') return `failed${s.error ? `: ${s.error.code} ${s.error.message.split('\n')[0]}` : ''}`;
    return `running${counts}${s.pid === undefined ? '' : `, pid ${s.pid}`}`;
  };
  const all = status.runs.flatMap((r) => r.stages);
  const idWidth = Math.max(0, ...all.map((s) => s.id.length));
  // A tracker asked for by --tracker or VHB_TRACKER_URL is named, so a wrong one shows; the default goes without saying.
  const chosen = resolveTrackerUrl(options.tracker, { cwd: options.cwd });
  const where = chosen ? ` · tracker ${maskTrackerUrl(chosen)}` : '';
  output.out(
    `plan ${status.plan} · ${status.runs.length} run${status.runs.length === 1 ? '' : 's'}${where}${status.tracker ? '' : ' · no tracker yet'}`,
  );
  for (const run of status.runs) {
    output.out('');
    output.out(`${run.run}${run.last ? `  ${pc.dim(`last: ${run.last}`)}` : ''}`);
    for (const stage of run.stages) output.out(`  ${marks[stage.state]} ${stage.id.padEnd(idWidth)}  ${words(stage)}`.trimEnd());
  }
  const count = (state: StatusState) => all.filter((s) => s.state === state).length;
  const parts = (['done', 'partial', 'running', 'failed', 'interrupted', 'pending'] as const).map((s) => `${count(s)} ${s}`);
  output.out('');
  output.out(parts.join(', '));
  return EXIT.ok;
}
