import type { GroupScore, GroupSummary, MetricSummary, RunSummary, TimingSummary, WorstItem } from '@vhb/sdk';
import { barChart } from './chart.js';
import { detailsHtml } from './details.js';
import { diffHtml } from './diff.js';
import { escapeHtml } from './escape.js';
import { duration, interval, ms, score } from './format.js';
import type { EmbeddedImage } from './image.js';
import { STYLE } from './style.js';

/** The page allows nothing from outside: no fetch, no script; only inline styles and data: images. */
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const CI_NOTE =
  'CI: 95% confidence interval [low, high], percentile bootstrap over the items (seeded, reproducible); none for fewer than two items.';

const arrow = (direction: 'higher' | 'lower') => (direction === 'higher' ? '↑' : '↓');
const better = (direction: 'higher' | 'lower') => `${direction} is better`;
const none: GroupScore = { score: null, ci: null, n: 0 };

interface Column {
  label: string;
  numeric?: boolean;
}

function table(columns: readonly Column[], rows: readonly (readonly string[])[], className = ''): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = rows.map(
    (row) => `<tr>${row.map((text, i) => `<td${columns[i]?.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`).join('')}</tr>`,
  );
  return `<table${className ? ` class="${className}"` : ''}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

/** `receipt (3), receipt-ru (10)`: each prompt id with the items answered with it. */
function promptList(prompts: Record<string, number>): string {
  return Object.entries(prompts)
    .map(([id, count]) => `${id} (${count})`)
    .join(', ');
}

function header(summary: RunSummary): string {
  const { total, succeeded, failed } = summary.items;
  const facts: [string, string][] = [
    ['Task', summary.task],
    ['Model', summary.model],
    ['Dataset', summary.dataset],
    ['Items', `${total} (${succeeded} succeeded, ${failed} failed)`],
    ['Duration', duration(summary.durationMs)],
    ...(summary.prompts && Object.keys(summary.prompts).length ? [['Prompts', promptList(summary.prompts)] as [string, string]] : []),
  ];
  return [
    '<header>',
    `<h1>${escapeHtml(`${summary.experiment} / ${summary.run}`)}</h1>`,
    `<p class="facts">${facts.map(([k, v]) => `<span><b>${k}</b> ${escapeHtml(v)}</span>`).join('')}</p>`,
    `<p>Started ${escapeHtml(summary.startedAt)}, finished ${escapeHtml(summary.finishedAt)}.</p>`,
    '</header>',
  ].join('\n');
}

function metrics(list: readonly MetricSummary[]): string {
  const columns = [
    { label: 'Metric' },
    { label: 'Better' },
    { label: 'Score', numeric: true },
    { label: '95% CI', numeric: true },
    { label: 'n', numeric: true },
  ];
  const rows = list.map((m) => [m.id, arrow(m.direction), score(m.score), interval(m.ci), String(m.n)]);
  return `<section id="metrics">\n<h2>Metrics</h2>\n${table(columns, rows)}\n<p class="note">${escapeHtml(CI_NOTE)}</p>\n</section>`;
}

/** One grouping: a chart per metric (bars with CI whiskers), then the table with every figure. */
function grouping(summary: GroupSummary, list: readonly MetricSummary[], index: number): string {
  const title = `By ${summary.by.join(' × ')}`;
  const labelOf = (key: Record<string, string>) => summary.by.map((field) => key[field] ?? '').join(' · ');
  const charts = list.map((m, k) => {
    const bars = summary.rows.map((row) => ({ label: labelOf(row.key), ...(row.scores[m.id] ?? none) }));
    const chartTitle = `${m.id} by ${summary.by.join(' × ')} (${better(m.direction)})`;
    return [
      '<figure>',
      `<figcaption>${escapeHtml(m.id)} ${arrow(m.direction)} <small>${escapeHtml(better(m.direction))}; whiskers: 95% CI</small></figcaption>`,
      barChart(`chart-${index}-${k}`, chartTitle, bars),
      '</figure>',
    ].join('\n');
  });
  // A metric's own n column only where its count differs from the group's (parts, or unscored items).
  const ownCount = new Set(list.filter((m) => summary.rows.some((row) => (row.scores[m.id] ?? none).n !== row.n)).map((m) => m.id));
  // The prompts the group's items were asked with, where the summary records them.
  const prompts = summary.rows.some((row) => row.prompts !== undefined);
  const columns: Column[] = [
    ...summary.by.map((label) => ({ label })),
    { label: 'n', numeric: true },
    ...(prompts ? [{ label: 'Prompts' }] : []),
    ...list.flatMap((m) => [
      { label: `${m.id} [95% CI]`, numeric: true },
      ...(ownCount.has(m.id) ? [{ label: `${m.id} n`, numeric: true }] : []),
    ]),
  ];
  const rows = summary.rows.map((row) => [
    ...summary.by.map((field) => row.key[field] ?? ''),
    String(row.n),
    ...(prompts ? [promptList(row.prompts ?? {})] : []),
    ...list.flatMap((m) => {
      const cell = row.scores[m.id] ?? none;
      const text = cell.score === null || !cell.ci ? score(cell.score) : `${score(cell.score)} ${interval(cell.ci)}`;
      return ownCount.has(m.id) ? [text, String(cell.n)] : [text];
    }),
  ]);
  return [
    '<section class="grouping">',
    `<h2>${escapeHtml(title)}</h2>`,
    '<div class="charts">',
    ...charts,
    '</div>',
    `<div class="scroll">${table(columns, rows)}</div>`,
    '</section>',
  ].join('\n');
}

function details(list: readonly MetricSummary[]): string | undefined {
  const withDetails = list.filter((m) => m.details && Object.keys(m.details).length > 0);
  if (withDetails.length === 0) return undefined;
  const parts = withDetails.map((m) => `<h3>${escapeHtml(m.id)}</h3>\n${detailsHtml(m.details as Record<string, unknown>)}`);
  return `<section id="details">\n<h2>Metric details</h2>\n${parts.join('\n')}\n</section>`;
}

function timing(summary: RunSummary): string | undefined {
  const rows: [string, TimingSummary][] = [];
  if (summary.timing.latencyMs) rows.push(['Latency', summary.timing.latencyMs]);
  if (summary.timing.ttftMs) rows.push(['Time to first token', summary.timing.ttftMs]);
  if (rows.length === 0) return undefined;
  const columns = [{ label: 'Time' }, ...['mean', 'p50', 'p90', 'p99'].map((label) => ({ label, numeric: true }))];
  const body = rows.map(([name, t]) => [name, ms(t.mean), ms(t.p50), ms(t.p90), ms(t.p99)]);
  return `<section id="timing">\n<h2>Timing (ms)</h2>\n${table(columns, body)}\n</section>`;
}

function failures(summary: RunSummary): string | undefined {
  if (summary.failures.length === 0) return undefined;
  const shown = summary.failures.length < summary.items.failed ? ` (first ${summary.failures.length} of ${summary.items.failed})` : '';
  const rows = summary.failures.map((f) => [f.id, f.code, f.message]);
  return `<section id="failures">\n<h2>Failures${escapeHtml(shown)}</h2>\n${table([{ label: 'Item' }, { label: 'Code' }, { label: 'Message' }], rows)}\n</section>`;
}

/** A reference or prediction already escaped (and marked), whitespace kept; an empty one says so. */
const text = (html: string | undefined) => (!html ? '<dd class="empty">empty</dd>' : `<dd><pre>${html}</pre></dd>`);
const plain = (value: string) => text(escapeHtml(value));

function imageHtml(item: WorstItem, image: EmbeddedImage | undefined): string {
  if (!item.image) return '<div class="noimage">no image</div>';
  if (!image || 'missing' in image) {
    return `<div class="noimage" title="${escapeHtml(item.image)}">${escapeHtml(image?.missing ?? 'image not loaded')}</div>`;
  }
  return `<img src="${image.dataUrl}" alt="${escapeHtml(`image of item ${item.id}`)}" title="${escapeHtml(item.image)}">`;
}

function worst(summary: RunSummary, images: ReadonlyMap<string, EmbeddedImage>): string | undefined {
  const list = summary.worst;
  if (!list || list.items.length === 0) return undefined;
  const direction = list.direction === 'higher' ? 'lowest' : 'highest';
  const items = list.items.map((item) => {
    // Differences from the first reference (the one CER and WER score against) are highlighted.
    const diff = item.references[0] === undefined ? undefined : diffHtml(item.references[0], item.prediction);
    return [
      '<article class="item">',
      `<div class="image">${imageHtml(item, images.get(item.id))}</div>`,
      '<div>',
      `<h3>${escapeHtml(item.id)}</h3>`,
      '<dl>',
      `<dt>${escapeHtml(list.metric)}</dt><dd>${score(item.score)}</dd>`,
      `<dt>Reference${item.references.length === 1 ? '' : 's'}</dt>`,
      ...(item.references.length === 0 ? ['<dd class="empty">none</dd>'] : [text(diff?.reference), ...item.references.slice(1).map(plain)]),
      `<dt>Prediction</dt>${diff ? text(diff.prediction) : plain(item.prediction)}`,
      '</dl>',
      '</div>',
      '</article>',
    ].join('\n');
  });
  return [
    '<section id="worst">',
    `<h2>Worst items by ${escapeHtml(list.metric)}</h2>`,
    `<p class="note">The ${list.items.length} items with the ${direction} ${escapeHtml(list.metric)} score, worst first. ` +
      'Differences from the first reference are marked: <mark class="del">missing or replaced</mark> in the reference, ' +
      '<mark class="ins">added or replacing</mark> in the prediction.</p>',
    '<div class="items">',
    ...items,
    '</div>',
    '</section>',
  ].join('\n');
}

/**
 * The whole report as one HTML document: inline CSS, inline SVG charts, images as data: URLs,
 * no script, and a Content-Security-Policy that forbids any request. `images` holds the worst
 * items' images by item id (see `embedImages`). The same summary and images give the same bytes.
 */
export function renderHtml(summary: RunSummary, images: ReadonlyMap<string, EmbeddedImage> = new Map()): string {
  const sections = [
    metrics(summary.metrics),
    ...summary.groups.map((g, i) => grouping(g, summary.metrics, i)),
    details(summary.metrics),
    timing(summary),
    failures(summary),
    worst(summary, images),
  ].filter((s) => s !== undefined);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${summary.experiment} / ${summary.run}`)} · VLMHyperBench</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    header(summary),
    '<main>',
    ...sections,
    '</main>',
    '<footer>VLMHyperBench report: one self-contained file, nothing loaded from the network.</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
