import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginContext } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import html from '../src/index.js';
import { fixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ctx: PluginContext = { logger: { debug() {}, info() {}, warn() {} }, env: {} };
/** Where the screenshot is kept after the test, to look at. */
const SCREENSHOT = join(tmpdir(), 'vhb-reporter-html-screenshot', 'report.png');

const title = existsSync(CHROMIUM)
  ? 'opens from disk in headless Chromium: no request, charts drawn, the image decoded'
  : `SKIPPED: ${CHROMIUM} is absent (install it: apt-get update && apt-get install -y chromium)`;

describe('report.html in a browser', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    title,
    async () => {
      const { chromium } = await import('playwright-core');
      const { summary, dir } = await fixture();
      const profile = await mkdtemp(join(tmpdir(), 'vhb-chromium-profile-'));
      const [file] = await html.render(summary, { maxImageBytes: 1024 * 1024 }, ctx);
      const path = join(dir, 'report.html');
      await writeFile(path, file?.content ?? '');
      const url = pathToFileURL(path).href;
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1200, height: 900 },
      });
      try {
        // Every request the page makes is recorded; anything but the report itself is blocked.
        const requests: string[] = [];
        await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
        const page = await context.newPage();
        page.on('request', (request) => requests.push(request.url()));
        const response = await page.goto(url, { waitUntil: 'load' });
        expect(response?.ok() ?? true).toBe(true);

        // 2 groupings × 3 metrics: six charts, each drawn with a real size.
        const boxes = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect();
            return { width: box.width, height: box.height, bars: svg.querySelectorAll('rect.bar').length };
          }),
        );
        expect(boxes).toHaveLength(6);
        for (const box of boxes) {
          expect(box.width).toBeGreaterThan(100);
          expect(box.height).toBeGreaterThan(40);
        }
        // The first grouping has 4 rows, the one without anls gets a "no score" text instead of a bar.
        expect(boxes.map((b) => b.bars)).toEqual([4, 3, 4, 2, 2, 2]);

        // r-03's PNG, embedded as a data: URL, decoded to its 240 × 160 pixels.
        const images = await page.$$eval('img', (imgs) =>
          imgs.map((img) => ({ complete: img.complete, width: img.naturalWidth, height: img.naturalHeight })),
        );
        expect(images).toEqual([{ complete: true, width: 240, height: 160 }]);

        // Escaped text shows as text: the hostile group label and prediction never became elements.
        expect(await page.$$eval('script', (s) => s.length)).toBe(0);
        expect(await page.locator('#worst').textContent()).toContain("<script>alert('x')</script>");

        expect(requests).toEqual([url]);
        await mkdir(join(SCREENSHOT, '..'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        expect(existsSync(SCREENSHOT)).toBe(true);
      } finally {
        await context.close();
        await rm(profile, { recursive: true, force: true });
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
