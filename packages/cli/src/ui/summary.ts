import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunOutcome } from '@vhb/runner';
import type { MetricSummary } from '@vhb/sdk';
import { table } from './format.js';

interface Column {
  id: string;
  label: string;
}

/** One column per metric id across the runs; the version shows only where two versions of a metric meet. */
function metricColumns(outcomes: readonly RunOutcome[]): Column[] {
  const metrics = new Map<string, MetricSummary>();
  for (const outcome of outcomes) for (const m of outcome.summary?.metrics ?? []) metrics.set(m.id, m);
  const versionsOf = (name: string) => [...metrics.values()].filter((m) => m.name === name).length;
  return [...metrics.values()].map((m) => ({
    id: m.id,
    label: `${versionsOf(m.name) > 1 ? m.id.toUpperCase() : m.name.toUpperCase()} ${m.direction === 'higher' ? '↑' : '↓'}`,
  }));
}

function cell(metric: MetricSummary | undefined): string {
  if (!metric || metric.score === null) return '-';
  const ci = metric.ci ? ` [${metric.ci[0].toFixed(3)}, ${metric.ci[1].toFixed(3)}]` : '';
  return `${metric.score.toFixed(3)}${ci}`;
}

/** One table for the runs that share a set of metrics: a row per run, a column per metric with its 95% CI. */
function runTable(outcomes: readonly RunOutcome[]): string[] {
  const columns = metricColumns(outcomes);
  const rows = outcomes.map((o) => {
    const metrics = new Map((o.summary?.metrics ?? []).map((m) => [m.id, m]));
    return [o.run, String(o.summary?.items.succeeded ?? 0), ...columns.map((c) => cell(metrics.get(c.id)))];
  });
  return table(['run', 'items', ...columns.map((c) => c.label)], rows);
}

/** The end-of-run tables (runs grouped by the metrics they report), then where the reports are. */
export function summaryLines(outcomes: readonly RunOutcome[], cwd: string): string[] {
  const finished = outcomes.filter((o) => o.status === 'ok' && o.summary);
  if (finished.length === 0) return [];
  const bySet = new Map<string, RunOutcome[]>();
  for (const o of finished) {
    const key = (o.summary?.metrics ?? []).map((m) => m.id).join(' ');
    bySet.set(key, [...(bySet.get(key) ?? []), o]);
  }
  const lines: string[] = [];
  for (const runs of bySet.values()) lines.push('', ...runTable(runs));
  lines.push('');
  for (const o of finished) {
    for (const name of ['report.html', 'report.md']) {
      const path = join(o.outDir, name);
      if (existsSync(path)) {
        lines.push(`report: ${relative(cwd, path) || path}`);
        break;
      }
    }
  }
  return lines;
}
