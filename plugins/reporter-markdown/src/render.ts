import type { GroupScore, GroupSummary, MetricSummary, RunSummary, TimingSummary } from '@vhb/sdk';
import { duration, interval, ms, score, scoreWithCi, table } from './format.js';

function overview(summary: RunSummary): string {
  const { total, succeeded, failed } = summary.items;
  return [
    `**Task** ${summary.task}`,
    `**Model** ${summary.model}`,
    `**Dataset** ${summary.dataset}`,
    `**Items** ${total} (${succeeded} succeeded, ${failed} failed)`,
    `**Duration** ${duration(summary.durationMs)}`,
    ...(summary.prompts && Object.keys(summary.prompts).length ? [`**Prompts** ${promptList(summary.prompts)}`] : []),
  ].join(' · ');
}

/** `receipt (3), receipt-ru (10)`: each prompt id with the items answered with it. */
function promptList(prompts: Record<string, number>): string {
  return Object.entries(prompts)
    .map(([id, count]) => `${id} (${count})`)
    .join(', ');
}

const CI_NOTE =
  'CI: 95% confidence interval [low, high], percentile bootstrap over the items (seeded, reproducible); none for fewer than two items.';

function metrics(list: readonly MetricSummary[]): string {
  const rows = list.map((m) => [m.id, m.direction === 'higher' ? '↑' : '↓', score(m.score), interval(m.ci), String(m.n)]);
  return `## Metrics\n\n${table(['Metric', 'Better', 'Score', '95% CI', 'n'], ['l', 'l', 'r', 'r', 'r'], rows)}\n\n${CI_NOTE}`;
}

const none: GroupScore = { score: null, ci: null, n: 0 };

/**
 * One table per grouping: the key fields, n (items in the group), the prompts the group's items
 * were asked with (when the summary records them), then `score [low, high]` per metric. A metric whose units are not the group's items (parts grouped by a part label, or items
 * it could not score) gets its own n column next to it.
 */
function group(summary: GroupSummary, metricIds: readonly string[]): string {
  const ownCount = new Set(metricIds.filter((id) => summary.rows.some((row) => (row.scores[id] ?? none).n !== row.n)));
  const prompts = summary.rows.some((row) => row.prompts !== undefined);
  const header = [
    ...summary.by,
    'n',
    ...(prompts ? ['Prompts'] : []),
    ...metricIds.flatMap((id) => (ownCount.has(id) ? [id, `${id} n`] : [id])),
  ];
  const align = header.map((_, i) => (i < summary.by.length || (prompts && i === summary.by.length + 1) ? 'l' : 'r') as 'l' | 'r');
  const rows = summary.rows.map((row) => [
    ...summary.by.map((field) => row.key[field] ?? ''),
    String(row.n),
    ...(prompts ? [promptList(row.prompts ?? {})] : []),
    ...metricIds.flatMap((id) => {
      const cell = row.scores[id] ?? none;
      const text = scoreWithCi(cell.score, cell.ci);
      return ownCount.has(id) ? [text, String(cell.n)] : [text];
    }),
  ]);
  return `## By ${summary.by.join(', ')}\n\n${table(header, align, rows)}`;
}

function timing(summary: RunSummary): string | undefined {
  const rows: [string, TimingSummary][] = [];
  if (summary.timing.latencyMs) rows.push(['Latency', summary.timing.latencyMs]);
  if (summary.timing.ttftMs) rows.push(['Time to first token', summary.timing.ttftMs]);
  if (rows.length === 0) return undefined;
  const body = rows.map(([name, t]) => [name, ms(t.mean), ms(t.p50), ms(t.p90), ms(t.p99)]);
  return `## Timing (ms)\n\n${table(['Time', 'mean', 'p50', 'p90', 'p99'], ['l', 'r', 'r', 'r', 'r'], body)}`;
}

function failures(summary: RunSummary): string | undefined {
  if (summary.failures.length === 0) return undefined;
  // The summary keeps only the first failures; say so when there were more.
  const shown = summary.failures.length < summary.items.failed ? ` (first ${summary.failures.length} of ${summary.items.failed})` : '';
  const rows = summary.failures.map((f) => [f.id, f.code, f.message]);
  return `## Failures${shown}\n\n${table(['Item', 'Code', 'Message'], ['l', 'l', 'l'], rows)}`;
}

/** The whole report. Only the summary goes in, so the same summary always gives the same bytes. */
export function renderMarkdown(summary: RunSummary): string {
  const metricIds = summary.metrics.map((m) => m.id);
  const sections = [
    `# ${summary.experiment} / ${summary.run}`,
    overview(summary),
    `Started ${summary.startedAt}, finished ${summary.finishedAt}.`,
    metrics(summary.metrics),
    ...summary.groups.map((g) => group(g, metricIds)),
    timing(summary),
    failures(summary),
  ];
  return `${sections.filter((s) => s !== undefined).join('\n\n')}\n`;
}
