/** What `bench:inference` computes from its phases' raw results: rounds added up, TTFT error statistics. */
import { percentiles } from '@vhb/sdk';
import { type PhaseResult, questionOf, type RunnerResult } from './phases.js';

/** The delay the engine adds before the first token in the TTFT phase. */
export const TTFT_MS = 20;

/** Percentiles of the TTFT error (measured − {@link TTFT_MS}), in ms, over `measured` items. */
export interface TtftStats {
  measured: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
}

/** The TTFT phase's figures. */
export type TtftResult = TtftStats & {
  items: number;
  lines: number;
  warm: TtftStats;
  /** How late the engine wrote each first content chunk against its delay (from its --log-first-content lines). */
  engineLate: TtftStats;
  /** Measured TTFT − (delay + the engine's lateness): the runner's own error, from the engine's write to its timestamp. */
  net: TtftStats;
};

/** Percentiles, min and max of `errors` (ms). */
export function stats(errors: number[]): TtftStats {
  const [p50, p90, p99] = errors.length === 0 ? [Number.NaN, Number.NaN, Number.NaN] : (percentiles(errors, [50, 90, 99]) as number[]);
  return {
    measured: errors.length,
    p50: p50 as number,
    p90: p90 as number,
    p99: p99 as number,
    min: errors.length === 0 ? Number.NaN : Math.min(...errors),
    max: errors.length === 0 ? Number.NaN : Math.max(...errors),
  };
}

/** The TTFT error (measured − the engine's delay) of the records that have a TTFT. */
const errorsOf = (records: RunnerResult['records']) =>
  records.flatMap((r) => (r.timing?.ttftMs == null ? [] : [r.timing.ttftMs - TTFT_MS]));

/** The engine's lateness per prompt, from its `{"firstContent": {prompt, dueMs, lateMs}}` lines. */
export function lateness(output: string): Map<string, number> {
  const late = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{"firstContent"')) continue;
    const { prompt, lateMs } = (JSON.parse(line) as { firstContent: { prompt: string; lateMs: number } }).firstContent;
    late.set(prompt, lateMs);
  }
  return late;
}

/**
 * TTFT error over every item, over the items after the first `concurrency` (dataset ids
 * q0..q{c-1}, the first request of each connection), the engine's own lateness, and the error
 * net of that lateness (items matched to the engine's lines by their numbered question).
 */
export function ttftStats(run: RunnerResult, concurrency: number, late: Map<string, number>): TtftResult {
  const later = run.records.filter((r) => Number(r.id.slice(1)) >= concurrency);
  const matched = run.records.flatMap((r) => {
    const lateMs = late.get(questionOf(Number(r.id.slice(1)), true));
    return r.timing?.ttftMs == null || lateMs === undefined ? [] : [{ lateMs, net: r.timing.ttftMs - TTFT_MS - lateMs }];
  });
  return {
    items: run.items,
    lines: run.lines,
    ...stats(errorsOf(run.records)),
    warm: stats(errorsOf(later)),
    engineLate: stats(matched.map((m) => m.lateMs)),
    net: stats(matched.map((m) => m.net)),
  };
}

/** The bare client's TTFT phase, as the runner's is reported: measured − the delay, and net of the engine's lateness. */
export interface TtftFloor {
  all: TtftStats;
  net: TtftStats;
}

/** {@link TtftFloor} of the bare client's TTFT per question, matched to the engine's lateness by question. */
export function ttftFloor(measured: Map<string, number>, late: Map<string, number>): TtftFloor {
  const all: number[] = [];
  const net: number[] = [];
  for (const [question, ttftMs] of measured) {
    all.push(ttftMs - TTFT_MS);
    const lateMs = late.get(question);
    if (lateMs !== undefined) net.push(ttftMs - TTFT_MS - lateMs);
  }
  return { all: stats(all), net: stats(net) };
}

/** One phase's results over its rounds: counts and seconds summed, CPU per request weighted by requests. */
export function mergePhases<T extends PhaseResult>(parts: T[]): T {
  const requests = parts.reduce((sum, p) => sum + p.requests, 0);
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const cpu: Record<string, number | null> = {};
  for (const name of Object.keys(parts[0]?.cpu ?? {})) {
    const values = parts.map((p) => p.cpu[name]);
    cpu[name] = values.some((v) => v === null || v === undefined)
      ? null
      : parts.reduce((sum, p) => sum + (p.cpu[name] as number) * p.requests, 0) / Math.max(1, requests);
  }
  const merged = {
    ...(parts[0] as T),
    requests,
    seconds,
    rate: requests / seconds,
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    cpu,
  };
  if ('lines' in merged) {
    const runs = parts as unknown as RunnerResult[];
    Object.assign(merged, {
      lines: runs.reduce((sum, p) => sum + p.lines, 0),
      items: runs.reduce((sum, p) => sum + p.items, 0),
      records: runs.flatMap((p) => p.records),
    });
  }
  return merged;
}
