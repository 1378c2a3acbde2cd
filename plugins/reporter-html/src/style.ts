/** The report's whole stylesheet, inlined: system fonts, no web fonts, nothing to fetch. */
export const STYLE = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #d9dee7; --bar: #4c78a8; --whisker: #1d2430; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 20px 32px 12px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 6px; font-size: 22px; }
header p { margin: 2px 0; color: var(--muted); }
header .facts span { margin-right: 18px; white-space: nowrap; }
header .facts b { color: var(--ink); font-weight: 600; }
main { padding: 8px 32px 32px; max-width: 1240px; }
section { margin-top: 24px; }
h2 { font-size: 18px; margin: 0 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
h4 { font-size: 13px; margin: 12px 0 6px; color: var(--muted); }
table { border-collapse: collapse; background: #fff; margin: 4px 0 8px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: var(--muted); font-size: 12px; margin: 4px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); padding: 8px 10px; max-width: 100%; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption small { font-weight: 400; color: var(--muted); }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg.chart .grid { stroke: var(--line); }
svg.chart .tick, svg.chart .none { fill: var(--muted); }
svg.chart .label, svg.chart .value { fill: var(--ink); }
svg.chart .bar { fill: var(--bar); }
svg.chart .whisker { stroke: var(--whisker); stroke-width: 1.5; }
.items { display: grid; gap: 12px; }
article.item { display: grid; grid-template-columns: minmax(0, 360px) minmax(0, 1fr); gap: 14px; background: #fff; border: 1px solid var(--line); padding: 10px; }
article.item img { max-width: 100%; max-height: 420px; border: 1px solid var(--line); background: #fff; }
article.item .noimage { color: var(--muted); font-style: italic; padding: 8px; border: 1px dashed var(--line); }
article.item h3 { margin: 0 0 6px; }
article.item dl { margin: 0; }
article.item dt { font-weight: 600; margin-top: 6px; }
article.item dd { margin: 2px 0 0; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f5f8; padding: 6px 8px; border-radius: 3px; }
.scroll { overflow-x: auto; max-width: 100%; }
mark.del { background: #fbd3cf; color: #7a1f14; text-decoration: line-through; text-decoration-color: #c0392b80; }
mark.ins { background: #cdeccf; color: #14532d; }
dd.empty { color: var(--muted); font-style: italic; }
footer { padding: 12px 32px 24px; color: var(--muted); font-size: 12px; }
`;
