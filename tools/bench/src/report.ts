import { cpus, loadavg } from 'node:os';
import { type BenchResult, TOLERANCE } from './bench.js';
import type { MetricName } from './ours.js';
import { RSS_LIMIT_BYTES, type StreamResult } from './stream.js';
import { tableLines } from './text-table.js';

/** The speed-up the issue asks for, ours over the Python reference. */
export const GOAL: Partial<Record<MetricName, number>> = { anls: 50, cer: 50 };

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (n: number) => (n >= 100 ? int(n) : n.toPrecision(3));

/** Node, Python, CPU and load, so figures from different machines are not compared blindly. */
export function environment(python: string | null | undefined): string {
  const [one, five] = loadavg();
  const cpu = cpus();
  const pythonPart = python === undefined ? '' : `python ${python ?? '(skipped)'}, `;
  return (
    `node ${process.version}, ${pythonPart}${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
    `load average ${one?.toFixed(2)} (1 min) ${five?.toFixed(2)} (5 min)`
  );
}

export function formatBench(result: BenchResult): string {
  const lines = [`VLMHyperBench metric benchmark: ${int(result.items)} generated pairs per metric, seed ${result.seed}`];
  lines.push(environment(result.pythonVersion), '');
  lines.push(
    'Speed: score() over every item + one aggregate(); Python: the plain reference in tools/bench/python.',
    'Items/s are per CPU second of each process, so other load on the machine skews them less than wall clock;',
    'the goal is judged on the CPU ratio, the wall-clock ratio is shown beside it.',
  );
  const seconds = (s: { seconds: number; cpuSeconds: number }, digits: number) =>
    `${s.seconds.toFixed(digits)} / ${s.cpuSeconds.toFixed(digits)}`;
  const speed = [
    [
      'metric',
      'items',
      'ours s wall/cpu',
      'ours items/s',
      'python items',
      'python s wall/cpu',
      'python items/s',
      'ours/python',
      'wall',
      'goal',
    ],
  ];
  for (const m of result.metrics) {
    const goal = GOAL[m.metric];
    const verdict = goal === undefined || m.ratio === null ? '-' : `≥${goal}× ${m.ratio >= goal ? 'met' : 'NOT met'}`;
    speed.push([
      m.id,
      int(m.ours.items),
      seconds(m.ours, 3),
      rate(m.ours.cpuItemsPerSecond),
      m.python ? `${int(m.python.items)}${m.python.subset ? ' (random subset)' : ''}` : '(skipped)',
      m.python ? seconds(m.python, 2) : '-',
      m.python ? rate(m.python.cpuItemsPerSecond) : '-',
      m.ratio === null ? '-' : `${m.ratio.toFixed(1)}×`,
      m.wallRatio === null ? '-' : `${m.wallRatio.toFixed(1)}×`,
      verdict,
    ]);
  }
  lines.push(tableLines(speed).join('\n'));
  if (result.metrics.some((m) => m.python?.subset)) {
    lines.push(
      'A subset is a seeded uniform random sample of the same pairs: Python items/s is measured on it and',
      'compared per item with ours over all pairs (the pure-Python DP on long OCR lines would take several minutes).',
    );
  }
  if (result.pythonVersion) {
    lines.push('', `Agreement (same pairs, both sides; must match within ${TOLERANCE}):`);
    const agree = [['metric', 'items', 'figure', 'ours', 'python', '|diff|']];
    for (const m of result.metrics) {
      const a = m.agreement;
      if (!a) continue;
      const corpus = a.ours.counts !== null;
      const row = (figure: string, ours: number, python: number) =>
        agree.push([m.id, int(a.items), figure, String(ours), String(python), String(Math.abs(ours - python))]);
      row(corpus ? 'corpus rate (aggregate)' : 'mean (aggregate)', a.ours.aggregate, a.python.aggregate);
      if (corpus) row('per-item mean', a.ours.mean, a.python.mean);
      if (a.ours.counts && a.python.counts) {
        const { ours, python } = { ours: a.ours.counts, python: a.python.counts };
        const sdi = (c: typeof ours) => `H ${c.hits} S ${c.substitutions} D ${c.deletions} I ${c.insertions}`;
        const same = (['hits', 'substitutions', 'deletions', 'insertions'] as const).every((key) => ours[key] === python[key]);
        agree.push([m.id, int(a.items), 'edit counts', sdi(ours), sdi(python), same ? '0' : 'differ']);
      }
    }
    lines.push(tableLines(agree).join('\n'));
    const mismatches = result.metrics.flatMap((m) => (m.agreement?.mismatches ?? []).map((text) => `${m.id} ${text}`));
    lines.push(mismatches.length === 0 ? '✔ ours and Python agree' : `✖ MISMATCH between ours and Python:\n  ${mismatches.join('\n  ')}`);
  }
  return lines.join('\n');
}

export function formatStream(result: StreamResult): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const lines = [
    `Streaming ${int(result.items)} generated items (a VQA pair → ANLS, an OCR pair → CER and WER), each scored and folded into running sums:`,
    environment(undefined),
    `${int(result.items)} items in ${result.seconds.toFixed(1)} s wall, ${result.cpuSeconds.toFixed(1)} s CPU: ` +
      `${int(result.itemsPerSecond)} items/s (generation and every metric)`,
    '',
  ];
  const rows = [
    ['metric', 'aggregate', 'per-item mean', `running sums vs aggregate() on first ${int(result.metrics[0]?.check.items ?? 0)}`],
  ];
  for (const m of result.metrics) {
    const check = m.check.ok ? 'equal' : `DIFFER: ${m.check.running} vs ${m.check.aggregate}`;
    rows.push([m.id, String(m.aggregate), String(m.mean), check]);
  }
  lines.push(tableLines(rows).join('\n'), '');
  const under = result.peakRssBytes < RSS_LIMIT_BYTES;
  lines.push(
    `peak RSS ${mb(result.peakRssBytes)} MB (process.resourceUsage().maxRSS), limit ${mb(RSS_LIMIT_BYTES)} MB: ${under ? '✔ under' : '✖ OVER'}`,
  );
  return lines.join('\n');
}
