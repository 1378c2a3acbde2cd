import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RESULT_FILES, readJsonl, readPredictions } from '@vhb/sdk';
import { MANIFEST_FILE } from '@vhb/storage';
import { EVENTS_FILE } from './event-bus.js';
import { LOCK_FILE } from './lock.js';
import type { Plan, PlannedRun } from './plan.js';

/** What a stage does, in the order a run goes through them. */
export type StageKind = 'sync' | 'prepare' | 'inference' | 'evaluation' | 'report';

/** The stages of a run, in order. */
export const STAGE_KINDS: readonly StageKind[] = ['sync', 'prepare', 'inference', 'evaluation', 'report'];

/** Where a stage stands, from what is on disk. */
export type StageState =
  | { state: 'done'; answered?: number; total?: number; failed?: number }
  /** Part of the items answered; `total` when the item count is known (else only `answered`). */
  | { state: 'partial'; answered: number; total?: number; failed?: number }
  | { state: 'pending' };

/** One stage of the plan's graph. A stage that serves several runs is done once for all of them. */
export interface PlanStage {
  /** `prepare`, `sync:<dataset>`, `inference:<first run>`, `evaluation:<run>`, `report:<run>`. */
  id: string;
  kind: StageKind;
  /** Names of the runs this stage serves, in plan order. */
  runs: string[];
  /** Ids of the stages that must be done first. */
  dependsOn: string[];
  /** For inference: a hash of everything that decides the answers (two runs with one key share the stage). */
  key?: string;
  status: StageState;
}

/** A plan as a graph of stages: every stage once, and each run's stages in order. */
export interface StageGraph {
  plan: string;
  stages: PlanStage[];
  /** Run name → ids of its stages, in order (shared stages appear under every run they serve). */
  runs: Record<string, string[]>;
}

export interface StageGraphOptions {
  /** Items each run selects (run name → count), when the caller knows them; otherwise they come from events.jsonl or summary.json. */
  itemCounts?: ReadonlyMap<string, number>;
  /** Skip reading the disk: every stage pending (the graph's shape only). */
  shapeOnly?: boolean;
}

/** The file listing the report files each reporter wrote, written by the runner after a run's reports. */
export const REPORT_INDEX_FILE = 'report-files.json';

/** The report index: for each report of the run (in order), the files its reporter wrote. */
export interface ReportIndex {
  reports: { name: string; files: string[] }[];
}

/** JSON with sorted keys and no undefined fields: equal values give equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v === undefined ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What decides a run's answers: task (and options), model (and options), dataset (root, options,
 * filter, shuffle, limit), prompt(s), generation and inference settings. Metrics, reports and
 * group_by do not: two runs that differ only in them share one inference.
 */
export function inferenceKey(run: PlannedRun): string {
  const { spec } = run;
  const { name, root, options, filter, shuffle, limit } = spec.dataset;
  const decides = {
    task: spec.task,
    model: spec.model,
    dataset: { name, root, options, filter, shuffle, limit },
    prompt: spec.prompt,
    promptRules: spec.promptRules,
    settings: spec.settings,
    inference: spec.inference,
  };
  return createHash('sha256').update(canonical(decides)).digest('hex').slice(0, 16);
}

/** The plan's results folder (`<results>/<plan>`), where events.jsonl lives; none for a plan without runs. */
export function planResultsDir(plan: Plan): string | undefined {
  const first = plan.runs[0];
  return first ? dirname(first.spec.outDir) : undefined;
}

/** The graph's shape: every stage once, with the runs it serves and what it depends on; every state pending. */
export function planStages(plan: Plan): StageGraph {
  const stages = new Map<string, PlanStage>();
  const runs: Record<string, string[]> = {};
  const add = (stage: Omit<PlanStage, 'status' | 'runs'>, run: string): string => {
    const found = stages.get(stage.id);
    if (found) {
      if (!found.runs.includes(run)) found.runs.push(run);
    } else stages.set(stage.id, { ...stage, runs: [run], status: { state: 'pending' } });
    return stage.id;
  };
  const syncIds = new Map<string, string>();
  const inferenceIds = new Map<string, string>();
  for (const run of plan.runs) {
    const ids: string[] = [];
    let syncId: string | undefined;
    if (run.sync) {
      const where = `${run.spec.dataset.root}\n${run.sync.from}`;
      syncId = syncIds.get(where);
      if (!syncId) {
        const base = `sync:${run.spec.dataset.name}`;
        const taken = new Set(syncIds.values());
        syncId = taken.has(base) ? `${base}#${taken.size + 1}` : base;
        syncIds.set(where, syncId);
      }
      ids.push(add({ id: syncId, kind: 'sync', dependsOn: [] }, run.name));
    }
    ids.push(add({ id: 'prepare', kind: 'prepare', dependsOn: [] }, run.name));
    const key = inferenceKey(run);
    let inferenceId = inferenceIds.get(key);
    if (!inferenceId) {
      inferenceId = `inference:${run.name}`;
      inferenceIds.set(key, inferenceId);
    }
    ids.push(add({ id: inferenceId, kind: 'inference', key, dependsOn: [...(syncId ? [syncId] : []), 'prepare'] }, run.name));
    ids.push(add({ id: `evaluation:${run.name}`, kind: 'evaluation', dependsOn: [inferenceId] }, run.name));
    ids.push(add({ id: `report:${run.name}`, kind: 'report', dependsOn: [`evaluation:${run.name}`] }, run.name));
    runs[run.name] = ids;
  }
  return { plan: plan.name, stages: [...stages.values()], runs };
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The item count of each run's last inference in the plan's events.jsonl (`inference-start`'s total). */
async function totalsFromEvents(plan: Plan): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const dir = planResultsDir(plan);
  if (!dir) return totals;
  for await (const line of readJsonl<{ type?: string; run?: string; event?: { type?: string; total?: number } }>(join(dir, EVENTS_FILE))) {
    if (line.type === 'run-event' && line.event?.type === 'inference-start' && line.run && typeof line.event.total === 'number')
      totals.set(line.run, line.event.total);
  }
  return totals;
}

interface RunDisk {
  /** Items with a record in predictions.jsonl (answered or failed), answered ones, failed ones. */
  recorded: number;
  answered: number;
  failed: number;
  predictionsAt?: number;
  total?: number;
  evaluated: boolean;
  reported: boolean;
}

async function readRunDisk(run: PlannedRun, known: number | undefined): Promise<RunDisk> {
  const out = run.spec.outDir;
  const predictionsPath = join(out, RESULT_FILES.predictions);
  const records = await readPredictions(predictionsPath);
  const values = [...records.values()];
  const answered = values.filter((r) => r.prediction != null).length;
  const failed = values.filter((r) => r.error != null).length;
  const [predictionsAt, metricsAt, summaryAt, indexAt] = await Promise.all(
    [predictionsPath, join(out, RESULT_FILES.metrics), join(out, RESULT_FILES.summary), join(out, REPORT_INDEX_FILE)].map(mtimeOf),
  );
  const summary = summaryAt === undefined ? undefined : await readJson<{ items?: { total?: number } }>(join(out, RESULT_FILES.summary));
  const evaluated =
    predictionsAt !== undefined &&
    metricsAt !== undefined &&
    summaryAt !== undefined &&
    metricsAt >= predictionsAt &&
    summaryAt >= predictionsAt;
  let reported = false;
  if (evaluated && indexAt !== undefined && indexAt >= (summaryAt as number)) {
    const index = await readJson<ReportIndex>(join(out, REPORT_INDEX_FILE));
    const names = index?.reports.map((r) => r.name) ?? [];
    reported =
      index !== undefined &&
      run.spec.reporters.every((r, i) => names[i] === r.name) &&
      index.reports.every((r) => r.files.every((file) => existsSync(join(out, file))));
  }
  const total = known ?? (evaluated ? summary?.items?.total : undefined);
  return {
    recorded: records.size,
    answered,
    failed,
    ...(predictionsAt === undefined ? {} : { predictionsAt }),
    ...(total === undefined ? {} : { total }),
    evaluated,
    reported,
  };
}

function inferenceState(disk: RunDisk): StageState {
  const counts = { answered: disk.answered, ...(disk.total === undefined ? {} : { total: disk.total }), failed: disk.failed };
  if (disk.recorded === 0) return { state: 'pending' };
  // Every item has an answer or a recorded failure (failed items are asked again by the next run).
  if (disk.total !== undefined ? disk.recorded >= disk.total : disk.evaluated) return { state: 'done', ...counts };
  return { state: 'partial', ...counts };
}

/**
 * A plan as a DAG of stages per run — sync data → prepare environment → inference → evaluation →
 * report — with shared work once (one inference for runs that differ only in metrics, reports or
 * group_by; one sync per dataset copy; one environment), each stage's state read from the disk.
 */
export async function buildStageGraph(plan: Plan, options: StageGraphOptions = {}): Promise<StageGraph> {
  const graph = planStages(plan);
  if (options.shapeOnly) return graph;
  const fromEvents = await totalsFromEvents(plan);
  const disks = new Map<string, RunDisk>();
  await Promise.all(
    plan.runs.map(async (run) => {
      const known = options.itemCounts?.get(run.name) ?? fromEvents.get(run.name);
      disks.set(run.name, await readRunDisk(run, known));
    }),
  );
  const byName = new Map(plan.runs.map((run) => [run.name, run]));
  const states = new Map<string, StageState>();
  for (const stage of graph.stages) {
    const served = stage.runs.map((name) => byName.get(name) as PlannedRun);
    const disk = (name: string) => disks.get(name) as RunDisk;
    if (stage.kind === 'sync') {
      const root = served[0]?.spec.dataset.root as string;
      stage.status = existsSync(join(root, MANIFEST_FILE)) ? { state: 'done' } : { state: 'pending' };
    } else if (stage.kind === 'prepare') {
      stage.status = served.every((run) => existsSync(join(run.spec.outDir, LOCK_FILE))) ? { state: 'done' } : { state: 'pending' };
    } else if (stage.kind === 'inference') {
      // The runs sharing the stage ask the same questions: the furthest one's answers stand for it.
      const best = served.map((run) => inferenceState(disk(run.name)));
      const rank = (s: StageState) => (s.state === 'done' ? 2 : s.state === 'partial' ? 1 : 0);
      stage.status = best.reduce((a, b) => (rank(b) > rank(a) || (rank(b) === rank(a) && answeredOf(b) > answeredOf(a)) ? b : a));
    } else if (stage.kind === 'evaluation') {
      const run = stage.runs[0] as string;
      const own = inferenceState(disk(run));
      stage.status = disk(run).evaluated && own.state === 'done' ? { state: 'done' } : { state: 'pending' };
    } else {
      const run = stage.runs[0] as string;
      stage.status = states.get(`evaluation:${run}`)?.state === 'done' && disk(run).reported ? { state: 'done' } : { state: 'pending' };
    }
    states.set(stage.id, stage.status);
  }
  return graph;
}

function answeredOf(state: StageState): number {
  return state.state === 'pending' ? -1 : (state.answered ?? 0);
}
