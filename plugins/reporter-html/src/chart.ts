import { escapeHtml } from './escape.js';
import { interval, score, truncate } from './format.js';

/** One bar: a group's figure with its interval. */
export interface Bar {
  label: string;
  score: number | null;
  ci: [number, number] | null;
  n: number;
}

const WIDTH = 520;
const LABEL = 160; // room for the group labels, left of the plot
const VALUE = 64; // room for the value printed after each bar
const ROW = 26;
const BAR = 14;
const TOP = 8;
const AXIS = 26;

/** The smallest of 1, 2, 2.5, 5 × 10^k not below `value` (value > 0). */
function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * The axis range: from 0 (bars start there) up to the next 1, 2, 2.5 or 5 × 10^k above every
 * figure and CI end: [0, 1] for an accuracy near 1, [0, 0.005] for a CER of 0.002, [0, 2] for
 * rates over 1. Below 0 likewise; [0, 1] when everything is 0 or nothing was scored.
 */
export function domain(bars: readonly Bar[]): [number, number] {
  const values = bars.flatMap((b) => [b.score, ...(b.ci ?? [])]).filter((v): v is number => v !== null && Number.isFinite(v));
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  if (low === 0 && high === 0) return [0, 1];
  return [low < 0 ? -niceCeil(-low) : 0, high > 0 ? niceCeil(high) : 0];
}

/** A tick label: 3 significant digits, no trailing zeros (0.00125, 0.5, 1.5, 250). */
const tick = (value: number) => String(Number(value.toPrecision(3)));

/** Pixel numbers with at most one decimal, so the SVG text stays short and stable. */
const px = (value: number) => String(Math.round(value * 10) / 10);

/**
 * A horizontal bar chart as inline SVG: one bar per group with its 95% CI as a whisker, the value
 * after the bar, and a tooltip (`<title>`) with the full label, figure, interval and n.
 */
export function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const [min, max] = domain(bars);
  const plot = WIDTH - LABEL - VALUE;
  const x = (value: number) => LABEL + ((value - min) / (max - min)) * plot;
  const height = TOP + bars.length * ROW + AXIS;
  const bottom = TOP + bars.length * ROW;
  const parts: string[] = [];
  // Round steps: a span of 1 or 2 × 10^k in quarters, of 2.5 or 5 × 10^k in fifths.
  const lead = Math.round(((max - min) / 10 ** Math.floor(Math.log10(max - min))) * 10) / 10;
  const steps = lead === 2.5 || lead === 5 ? 5 : 4;
  for (let k = 0; k <= steps; k++) {
    const value = min + ((max - min) * k) / steps;
    parts.push(
      `<line class="grid" x1="${px(x(value))}" x2="${px(x(value))}" y1="${TOP}" y2="${bottom}"/>`,
      `<text class="tick" x="${px(x(value))}" y="${bottom + 16}" text-anchor="middle">${tick(value)}</text>`,
    );
  }
  bars.forEach((bar, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const tip = `${bar.label}: ${score(bar.score)} ${interval(bar.ci)}, n = ${bar.n}`;
    const shapes = [`<title>${escapeHtml(tip)}</title>`];
    shapes.push(
      `<text class="label" x="${LABEL - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(truncate(bar.label, 24))}</text>`,
    );
    if (bar.score === null || !Number.isFinite(bar.score)) {
      shapes.push(`<text class="none" x="${LABEL + 4}" y="${y}" dominant-baseline="middle">no score</text>`);
    } else {
      const from = x(Math.max(min, Math.min(0, max)));
      const to = x(bar.score);
      shapes.push(
        `<rect class="bar" x="${px(Math.min(from, to))}" y="${y - BAR / 2}" width="${px(Math.abs(to - from))}" height="${BAR}"/>`,
      );
      let end = to;
      if (bar.ci) {
        const [low, high] = [x(bar.ci[0]), x(bar.ci[1])];
        end = Math.max(end, high);
        shapes.push(
          `<line class="whisker" x1="${px(low)}" x2="${px(high)}" y1="${y}" y2="${y}"/>`,
          `<line class="whisker" x1="${px(low)}" x2="${px(low)}" y1="${y - 5}" y2="${y + 5}"/>`,
          `<line class="whisker" x1="${px(high)}" x2="${px(high)}" y1="${y - 5}" y2="${y + 5}"/>`,
        );
      }
      shapes.push(`<text class="value" x="${px(end + 6)}" y="${y}" dominant-baseline="middle">${score(bar.score)}</text>`);
    }
    parts.push(`<g class="row">${shapes.join('')}</g>`);
  });
  return [
    `<svg class="chart" id="${escapeHtml(id)}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
