import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { PluginContext, RunSummary } from '@vhb/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { barChart, domain } from '../src/chart.js';
import { detailsHtml } from '../src/details.js';
import { diffHtml } from '../src/diff.js';
import html, { embedImage, renderHtml } from '../src/index.js';
import { fixture } from './fixture.js';

const warnings: string[] = [];
const ctx: PluginContext = { logger: { debug() {}, info() {}, warn: (m) => warnings.push(m) }, env: {} };
let cleanup: string | undefined;
afterEach(async () => {
  warnings.length = 0;
  if (cleanup) await rm(cleanup, { recursive: true, force: true });
  cleanup = undefined;
});

async function render(maxImageBytes = 1024 * 1024) {
  const { summary, dir, png } = await fixture();
  cleanup = dir;
  const files = await html.render(summary, { maxImageBytes }, ctx);
  expect(files.map((f) => f.path)).toEqual(['report.html']);
  return { page: files[0]?.content ?? '', png, dir, summary };
}

const VOID = new Set(['meta', 'img', 'br', 'hr', 'input', 'link']);

/** Checks that every element opened is closed in order (void and self-closed SVG elements aside); returns the tag names seen. */
function tags(page: string): string[] {
  const body = page.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').replace(/^<!doctype html>/, '');
  const stack: string[] = [];
  const seen: string[] = [];
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match as unknown as [string, string, string, string];
    seen.push(name);
    if (closing) expect(stack.pop(), `</${name}> closes the last open element`).toBe(name);
    else if (!selfClosing && !VOID.has(name)) stack.push(name);
  }
  expect(stack).toEqual([]);
  // Nothing that looks like markup is left outside a tag: every < and > in text was escaped.
  expect(body.replace(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(\/?)>/g, '')).not.toMatch(/[<>]/);
  return seen;
}

describe('html render', () => {
  it('writes one well-formed, self-contained page: no script, no link, nothing to fetch', async () => {
    const { page } = await render();
    expect(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    );
    const seen = new Set(tags(page));
    for (const name of ['script', 'link', 'iframe', 'object', 'embed', 'base', 'a']) expect(seen.has(name), name).toBe(false);
    expect(page).not.toMatch(/https?:|\/\/[a-z]|url\(|@import|href=/i);
    // Every src is an inline image.
    expect([...page.matchAll(/src="([^"]*)"/g)].map((m) => m[1]?.slice(0, 22))).toEqual(['data:image/png;base64,']);
  });

  it('escapes every piece of text from the summary', async () => {
    const { page } = await render();
    expect(page).toContain('<title>receipts &lt;2026&gt; &amp; &quot;co&quot; / ocr-tesseract · VLMHyperBench</title>');
    expect(page).toContain('<h1>receipts &lt;2026&gt; &amp; &quot;co&quot; / ocr-tesseract</h1>');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    // The group label in the table and the chart, the hostile prediction, a failure message, a matrix label.
    expect(page).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/scrip…</text>');
    // x-1's prediction against "TOTAL 42": only the first space is common (see the diff test).
    expect(page).toContain(
      '<pre><mark class="ins">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</mark> <mark class="ins">&amp; &lt;img src=x onerror=alert(1)&gt;</mark></pre>',
    );
    expect(page).toContain('<td>timeout after 30000 ms &lt;br&gt;</td>');
    expect(page).toContain('<th class="num">&lt;other&gt;</th>');
  });

  it('shows the metrics table with CIs, and the Unicode labels as they are', async () => {
    const { page } = await render();
    // 0.123456 → 0.1235; CI [0.081234, 0.170001] → [0.0812, 0.1700].
    expect(page).toContain(
      '<tr><td>cer@1</td><td>↓</td><td class="num">0.1235</td><td class="num">[0.0812, 0.1700]</td><td class="num">10</td></tr>',
    );
    expect(page).toContain('<td>справка 日本語 👍🏽 é</td>');
    // Group table: score [low, high] in one cell; anls gets its own n column (receipt: 0 of 3 scored).
    expect(page).toContain('<th class="num">anls@1 n</th>');
    expect(page).not.toContain('<th class="num">cer@1 n</th>');
    expect(page).toContain('<td class="num">0.0500 [0.0200, 0.0813]</td>');
  });

  it('draws one bar chart per grouping and metric, bars with CI whiskers, on a hand-computed scale', async () => {
    const { page } = await render();
    const charts = [...page.matchAll(/<svg class="chart"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(2 * 3);
    const cer = charts[0] as string;
    // cer@1 by doc_type: values up to 2 (a CI end) → axis [0, 2], ticks 0, 0.5, 1, 1.5, 2.
    expect([...cer.matchAll(/<text class="tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['0', '0.5', '1', '1.5', '2']);
    // Plot from x = 160 over 520 − 160 − 64 = 296 px: invoice 0.05 → width 0.05 / 2 × 296 = 7.4;
    // its CI [0.02, 0.08125] → 160 + 2.96 = 163.0 and 160 + 12.025 = 172.0 (one decimal).
    expect(cer).toContain('<rect class="bar" x="160" y="14" width="7.4" height="14"/>');
    expect(cer).toContain('<line class="whisker" x1="163" x2="172" y1="21" y2="21"/>');
    expect(cer.match(/<g class="row">/g)).toHaveLength(4);
    // The single-item group has a bar but no whisker: 3 groups × 3 lines.
    expect(cer.match(/class="whisker"/g)).toHaveLength(9);
    const anls = charts[1] as string;
    // anls@1: every value in [0, 1] → axis [0, 1]; invoice 0.9 → 0.9 × 296 = 266.4; receipt has no score.
    expect(anls).toContain('<rect class="bar" x="160" y="14" width="266.4" height="14"/>');
    expect(anls).toContain('>no score</text>');
    expect(anls.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(anls).toContain('<title>anls@1 by doc_type (higher is better)</title>');
  });

  it('puts the ticks on round steps, with enough digits for a small range', () => {
    const chart = barChart('c', 'cer', [{ label: 'receipt', score: 0.0019, ci: [0.0005, 0.0033], n: 8 }]);
    const ticks = (svg: string) => [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    // Axis [0, 0.005] in fifths.
    expect(ticks(chart)).toEqual(['0', '0.001', '0.002', '0.003', '0.004', '0.005']);
    // [0, 0.25] in fifths too; [0, 2] and [0, 1] in quarters (the cer and anls charts above).
    const bars = [0.2, 0.21].map((score) => ({ label: 'a', score, ci: null, n: 1 }));
    expect(ticks(barChart('d', 'x', bars))).toEqual(['0', '0.05', '0.1', '0.15', '0.2', '0.25']);
    // 0.0019 / 0.005 × 296 = 112.48 → 112.5 px.
    expect(chart).toContain('<rect class="bar" x="160" y="14" width="112.5" height="14"/>');
  });

  it('picks the axis range: from 0 up to the next 1, 2, 2.5 or 5 × 10^k', () => {
    const bar = (score: number | null, ci: [number, number] | null = null) => ({ label: 'x', score, ci, n: 2 });
    expect(domain([bar(0.2, [0, 1])])).toEqual([0, 1]);
    expect(domain([bar(0.9988, [0.998, 0.9996])])).toEqual([0, 1]);
    expect(domain([bar(0.0019, [0.0005, 0.0033])])).toEqual([0, 0.005]);
    expect(domain([bar(0.3), bar(0.15)])).toEqual([0, 0.5]);
    expect(domain([bar(0.2)])).toEqual([0, 0.2]);
    expect(domain([bar(null)])).toEqual([0, 1]);
    expect(domain([bar(0, [0, 0])])).toEqual([0, 1]);
    expect(domain([bar(1.2)])).toEqual([0, 2]);
    expect(domain([bar(2.1)])).toEqual([0, 2.5]);
    expect(domain([bar(3.2)])).toEqual([0, 5]);
    expect(domain([bar(12)])).toEqual([0, 20]);
    expect(domain([bar(0.5, [-0.3, 0.9])])).toEqual([-0.5, 1]);
    expect(domain([bar(-0.04)])).toEqual([-0.05, 0]);
  });

  it('embeds the worst items’ images as data: URLs, and says why when it cannot', async () => {
    const { page, png } = await render();
    const url = page.match(/src="data:image\/png;base64,([^"]*)"/)?.[1] ?? '';
    expect(Buffer.from(url, 'base64').equals(png)).toBe(true);
    expect(page).toContain('alt="image of item r-03"');
    // x-1's file is text named .png: never embedded, whatever its name says.
    expect(page).not.toContain(Buffer.from('root:x:0:0').toString('base64').slice(0, 12));
    expect(page).toContain('not an image format a browser shows (PNG, JPEG, GIF, WebP, BMP)');
    expect(page).toContain('image file not found');
    expect(page).toContain('<div class="noimage">no image</div>');
    expect(warnings.sort()).toEqual([
      'report.html: item i-02: image file not found',
      'report.html: item x-1: not an image format a browser shows (PNG, JPEG, GIF, WebP, BMP)',
    ]);
  });

  it('leaves out images over maxImageBytes, or all with 0', async () => {
    const small = await render(100);
    expect(small.page).not.toContain('data:image');
    expect(small.page).toContain(`image not embedded: ${small.png.length} bytes is over the 100-byte limit (maxImageBytes)`);
    await rm(small.dir, { recursive: true, force: true });
    const none = await render(0);
    expect(none.page).not.toContain('data:image');
    expect(none.page).toContain('images are not embedded (maxImageBytes: 0)');
  });

  it('recognises image formats by their first bytes', async () => {
    const { dir } = await render();
    const { writeFile } = await import('node:fs/promises');
    const cases: [string, number[], string][] = [
      ['a.jpg', [0xff, 0xd8, 0xff, 0xe0, 0, 0], 'data:image/jpeg;base64,'],
      ['a.gif', [...Buffer.from('GIF89a'), 1, 0], 'data:image/gif;base64,'],
      ['a.webp', [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')], 'data:image/webp;base64,'],
      ['a.bmp', [...Buffer.from('BM'), 0, 0], 'data:image/bmp;base64,'],
    ];
    for (const [name, bytes, prefix] of cases) {
      await writeFile(`${dir}/${name}`, Buffer.from(bytes));
      const image = await embedImage(`${dir}/${name}`, 1000);
      expect('dataUrl' in image && image.dataUrl.startsWith(prefix), name).toBe(true);
    }
    await writeFile(`${dir}/a.tif`, Buffer.from([...Buffer.from('II*'), 0, 8, 0]));
    expect(await embedImage(`${dir}/a.tif`, 1000)).toEqual({ missing: 'TIFF image: browsers cannot show it inline' });
  });

  it('shows the worst items with reference(s) and prediction, and says when one is empty', async () => {
    const { page } = await render();
    expect(page).toContain('<h2>Worst items by cer@1</h2>');
    expect(page).toContain('The 4 items with the highest cer@1 score, worst first.');
    // Order as in the summary: x-1, r-03, i-02, f-9.
    expect([...page.matchAll(/<article class="item">[\s\S]*?<h3>([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual(['x-1', 'r-03', 'i-02', 'f-9']);
    // Differences from the first reference, code point by code point: r-03 has 2 → Z after the common "ИТОГО 4".
    expect(page).toContain('<dd><pre>ИТОГО 4<mark class="del">2</mark>,00\nНДС 7,00</pre></dd>');
    expect(page).toContain('<dd><pre>ИТОГО 4<mark class="ins">Z</mark>,00\nНДС 7,00</pre></dd>');
    // i-02: 0 → O, and precomposed é (U+00E9) → e + U+0301, two code points with nothing in common;
    // the second reference is shown as it is.
    expect(page).toContain(
      '<dt>References</dt>\n<dd><pre>合計 1<mark class="del">0</mark>円 👍🏽 <mark class="del">é</mark></pre></dd>\n<dd><pre>合計10円</pre></dd>',
    );
    expect(page).toContain('<dd><pre>合計 1<mark class="ins">O</mark>円 👍🏽 <mark class="ins">e\u0301</mark></pre></dd>');
    expect(page).toContain('<dt>References</dt>\n<dd class="empty">none</dd>\n<dt>Prediction</dt><dd class="empty">empty</dd>');
  });

  it('marks the differences between a reference and a prediction', () => {
    // "Pasta 500g" → "Pasta 5009": common prefix "Pasta 500", then g replaced by 9.
    expect(diffHtml('Pasta 500g', 'Pasta 5009')).toEqual({
      reference: 'Pasta 500<mark class="del">g</mark>',
      prediction: 'Pasta 500<mark class="ins">9</mark>',
    });
    // Identical, and empty on either side.
    expect(diffHtml('a < b', 'a < b')).toEqual({ reference: 'a &lt; b', prediction: 'a &lt; b' });
    expect(diffHtml('', 'new')).toEqual({ reference: '', prediction: '<mark class="ins">new</mark>' });
    expect(diffHtml('gone', '')).toEqual({ reference: '<mark class="del">gone</mark>', prediction: '' });
    // One longest common subsequence of "kitten" and "sitting" is "ittn": k → s, e → i, g added.
    expect(diffHtml('kitten', 'sitting')).toEqual({
      reference: '<mark class="del">k</mark>itt<mark class="del">e</mark>n',
      prediction: '<mark class="ins">s</mark>itt<mark class="ins">i</mark>n<mark class="ins">g</mark>',
    });
    // Astral code points stay whole: the skin-tone modifier U+1F3FD is the one code point missing.
    expect(diffHtml('a👍🏽b', 'a👍b')).toEqual({ reference: 'a👍<mark class="del">🏽</mark>b', prediction: 'a👍b' });
    // Insertions in the middle, Cyrillic, and escaping inside a mark.
    expect(diffHtml('Итого', 'Ит<о>ого')).toEqual({ reference: 'Итого', prediction: 'Ит<mark class="ins">&lt;о&gt;</mark>ого' });
  });

  it('renders metric details: values, per-class tables and the confusion matrix', async () => {
    const { page } = await render();
    const details = page.slice(page.indexOf('<section id="details">'), page.indexOf('</section>', page.indexOf('<section id="details">')));
    expect(details).toContain('<h3>cer@1</h3>');
    expect(details).toContain('<tr><th>refLength</th><td class="num">99</td></tr>');
    expect(details).toContain('<tr><th>macroF1</th><td class="num">0.6667</td></tr>');
    expect(details).toContain(
      '<tr><th></th><th class="num">precision</th><th class="num">recall</th><th class="num">f1</th><th class="num">support</th></tr>',
    );
    // A column with any fraction shows 4 decimals throughout (recall 1 → 1.0000); support stays whole.
    expect(details).toContain(
      '<tr><th>invoice</th><td class="num">0.7500</td><td class="num">1.0000</td><td class="num">0.8571</td><td class="num">3</td></tr>',
    );
    expect(details).toContain('<tr><th>true ↓ predicted →</th><th class="num">invoice</th>');
    // Rows are the true labels: receipt was predicted invoice once, receipt twice, <other> once.
    expect(details).toContain('<tr><th>receipt</th><td class="num">1</td><td class="num">2</td><td class="num">1</td></tr>');
    expect(details).not.toContain('<h3>anls@1</h3>');
  });

  it('renders other detail shapes: per-field summaries with gaps, lists of records, anything else as JSON', () => {
    const html = detailsHtml({
      fieldAnls: null,
      fields: { latencyMs: { mean: 812.5, p50: 790, n: 3 }, ttftMs: null, tpotMs: { mean: 12.25, p50: 12, n: 2 } },
      top: [{ id: 'a', score: 0.5 }, { id: '<b>' }],
      odd: [[1, 2], 'x'],
    });
    // Top-level values: null shows as a dash.
    expect(html).toContain('<tr><th>fieldAnls</th><td>–</td></tr>');
    // { field: summary | null }: a row per field, the null one all dashes; mean has fractions, p50 and n do not.
    expect(html).toContain(
      [
        '<tr><th>latencyMs</th><td class="num">812.5000</td><td class="num">790</td><td class="num">3</td></tr>',
        '<tr><th>ttftMs</th><td>–</td><td>–</td><td>–</td></tr>',
        '<tr><th>tpotMs</th><td class="num">12.2500</td><td class="num">12</td><td class="num">2</td></tr>',
      ].join('\n'),
    );
    // A list of records: a row per record, numbered.
    expect(html).toContain('<tr><th>1</th><td>a</td><td class="num">0.5000</td></tr>\n<tr><th>2</th><td>&lt;b&gt;</td><td>–</td></tr>');
    expect(html).toContain('<h4>odd</h4>\n<pre>[\n  [\n    1,');
  });

  it('shows timing and failures', async () => {
    const { page } = await render();
    expect(page).toContain(
      '<tr><td>Latency</td><td class="num">812.3</td><td class="num">790.0</td><td class="num">1012.5</td><td class="num">1200.1</td></tr>',
    );
    expect(page).toContain('<h2>Failures</h2>');
    expect(page).toContain('<td>r-07</td><td>VHB_E_ITEM_GENERATE</td><td>tesseract worker crashed</td>');
  });

  it('gives the same bytes for the same summary and images', async () => {
    const { summary } = await render();
    const again = await html.render(structuredClone(summary), { maxImageBytes: 1024 * 1024 }, ctx);
    const first = await html.render(summary, { maxImageBytes: 1024 * 1024 }, ctx);
    expect(again).toEqual(first);
  });

  it('shows the prompts of the run in the header and of each group in a column', () => {
    const summary: RunSummary = {
      experiment: 'docs',
      run: 'rules',
      task: 'vqa',
      model: 'qwen',
      dataset: 'synthdoc',
      startedAt: '2026-03-02T08:00:00.000Z',
      finishedAt: '2026-03-02T08:00:02.000Z',
      durationMs: 2000,
      items: { total: 4, succeeded: 4, failed: 0 },
      prompts: { generic: 2, receipt: 1, 'receipt-ru': 1 },
      metrics: [{ id: 'anls@1', name: 'anls', version: 1, direction: 'higher', score: 0.75, n: 4, ci: [0.5, 1] }],
      groups: [
        {
          by: ['doc_type'],
          rows: [
            { key: { doc_type: 'letter' }, n: 2, prompts: { generic: 2 }, scores: { 'anls@1': { score: 1, ci: [1, 1], n: 2 } } },
            {
              key: { doc_type: 'receipt' },
              n: 2,
              prompts: { receipt: 1, 'receipt-ru': 1 },
              scores: { 'anls@1': { score: 0.5, ci: [0, 1], n: 2 } },
            },
          ],
        },
      ],
      timing: { latencyMs: null, ttftMs: null },
      failures: [],
      worst: null,
    };
    const page = renderHtml(summary);
    tags(page);
    expect(page).toContain('<span><b>Prompts</b> generic (2), receipt (1), receipt-ru (1)</span>');
    expect(page).toContain(
      '<thead><tr><th>doc_type</th><th class="num">n</th><th>Prompts</th><th class="num">anls@1 [95% CI]</th></tr></thead>',
    );
    expect(page).toContain(
      '<tr><td>letter</td><td class="num">2</td><td>generic (2)</td><td class="num">1.0000 [1.0000, 1.0000]</td></tr>',
    );
    expect(page).toContain(
      '<tr><td>receipt</td><td class="num">2</td><td>receipt (1), receipt-ru (1)</td><td class="num">0.5000 [0.0000, 1.0000]</td></tr>',
    );
    // A summary from before prompt rules has neither.
    const old = renderHtml({
      ...summary,
      prompts: undefined,
      groups: [{ by: ['doc_type'], rows: summary.groups[0]!.rows.map(({ prompts: _, ...row }) => row) }],
    });
    expect(old).not.toContain('Prompts');
  });

  it('renders a run with nothing scored: no charts, no empty sections', () => {
    const summary: RunSummary = {
      experiment: 'smoke',
      run: 'empty',
      task: 'vqa',
      model: 'echo',
      dataset: 'none',
      startedAt: '2026-03-02T08:00:00.000Z',
      finishedAt: '2026-03-02T08:00:00.850Z',
      durationMs: 850,
      items: { total: 0, succeeded: 0, failed: 0 },
      metrics: [{ id: 'exact-match@1', name: 'exact-match', version: 1, direction: 'higher', score: null, n: 0, ci: null }],
      groups: [],
      timing: { latencyMs: null, ttftMs: null },
      failures: [],
      worst: null,
    };
    const page = renderHtml(summary);
    tags(page);
    expect(page).toContain('<td class="num">–</td><td class="num">–</td><td class="num">0</td>');
    expect(page).toContain('<b>Duration</b> 0.9 s');
    for (const id of ['details', 'timing', 'failures', 'worst']) expect(page).not.toContain(`id="${id}"`);
    expect(page).not.toContain('<svg');
  });
});

describe('README', () => {
  it('documents every error code the source raises', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const src = new URL('../src/', import.meta.url);
    const codes = readdirSync(src).flatMap((f) => readFileSync(new URL(f, src), 'utf8').match(/VHB_E_[A-Z_]+/g) ?? []);
    for (const code of codes) expect(readme).toContain(code);
    expect(readme).toContain('## Errors');
  });
});
