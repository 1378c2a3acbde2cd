import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Output } from '../src/index.js';

// The repository's own demo plan, run through the CLI in a temporary copy of the project (so its
// results stay out of the checkout). GPU engines cannot run here: the VQA and classification runs
// talk to a small OpenAI-compatible server on 127.0.0.1 that streams the right answers back, found
// by (image hash, question) from the dataset's own manifests.
const repo = join(import.meta.dirname, '../../..');
const synthdoc = join(repo, 'datasets/synthdoc');
const russianData = '/usr/share/tesseract-ocr/5/tessdata/rus.traineddata';

let project: string;
let server: Server;
let requests = 0;
const modelsAsked = new Set<string>();
// The endpoint, key and model id come from the environment, as the README tells users to set them.
const API_KEY = 'sk-demo-3f9c1e7a5b2d';
const MODEL = 'demo-vlm-served-here';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function answerBook(): Map<string, string> {
  const book = new Map<string, string>();
  const rows = (file: string) =>
    readFileSync(join(synthdoc, file), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  const imageHash = (image: string) => sha(readFileSync(join(synthdoc, image)));
  for (const row of rows('vqa.jsonl')) book.set(`${imageHash(row.image)} ${row.question}`, row.references[0]);
  for (const row of rows('classification.jsonl')) book.set(`${imageHash(row.image)} classify`, row.references[0]);
  return book;
}

function startEngine(book: Map<string, string>): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      requests += 1;
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization}` } }));
        return;
      }
      const { messages, model } = JSON.parse(body);
      modelsAsked.add(model);
      const parts = messages.at(-1).content as { type: string; text?: string; image_url?: { url: string } }[];
      const text = parts.find((p) => p.type === 'text')?.text ?? '';
      const image = Buffer.from(parts.find((p) => p.type === 'image_url')?.image_url?.url.split(',')[1] ?? '', 'base64');
      const question = text.startsWith('What type of document') ? 'classify' : text.split('\n')[0];
      const answer = book.get(`${sha(image)} ${question}`) ?? 'I do not know';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object) => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`);
      chunk({ role: 'assistant', content: '' });
      for (const word of answer.split(/(?= )/)) chunk({ content: word });
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 10, completion_tokens: answer.split(' ').length } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)),
  );
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'vhb-demo-'));
  await cp(join(repo, 'registries'), join(project, 'registries'), { recursive: true });
  await symlink(join(repo, 'plugins'), join(project, 'plugins'));
  await symlink(join(repo, 'datasets'), join(project, 'datasets'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'demo-copy', private: true, vhb: { runMode: 'dev' } }));
  process.env.VHB_OPENAI_BASE_URL = await startEngine(answerBook());
  process.env.VHB_OPENAI_API_KEY = API_KEY;
  process.env.VHB_OPENAI_MODEL = MODEL;
});

afterAll(async () => {
  delete process.env.VHB_OPENAI_BASE_URL;
  delete process.env.VHB_OPENAI_API_KEY;
  delete process.env.VHB_OPENAI_MODEL;
  server?.close();
  await rm(project, { recursive: true, force: true });
});

async function vhb(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: false };
  const code = await main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CHROMIUM = '/usr/bin/chromium';

/** Opens the demo's HTML report from disk in headless Chromium: its charts draw, its images decode, it fetches nothing. */
async function checkHtmlReport(path: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'vhb-demo-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];
  args.push('--disable-background-networking', '--disable-component-update', '--disable-sync');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
  try {
    const url = pathToFileURL(path).href;
    const requests: string[] = [];
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: 'load' });
    // One grouping (doc_type) × three metrics (cer, wer, anls): three charts of four doc types each.
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => [svg.getBoundingClientRect().width, svg.querySelectorAll('rect.bar').length]),
    );
    expect(charts).toHaveLength(3);
    for (const [width, bars] of charts) {
      expect(width).toBeGreaterThan(100);
      expect(bars).toBe(4);
    }
    // The worst items are shown with their document image, decoded.
    const widths = await page.$$eval('img', (imgs) => imgs.map((img) => img.naturalWidth));
    expect(widths.length).toBeGreaterThan(0);
    for (const width of widths) expect(width).toBeGreaterThan(0);
    expect(requests).toEqual([url]);
    await page.screenshot({ path: join(tmpdir(), 'vhb-demo-report.png'), fullPage: true });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

const summaryOf = async (run: string) => JSON.parse(await readFile(join(project, 'results/demo', run, 'summary.json'), 'utf8'));

describe('the demo plan, end to end', { timeout: 300_000 }, () => {
  it('OCRs the documents with tesseract and asks the engine the VQA and classification questions', async () => {
    const result = await vhb('run');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/run\s+items\s+CER ↓\s+WER ↓\s+ANLS ↑\n/);
    // Two algorithm versions of one metric side by side: the table names the versions.
    expect(result.out).toMatch(/run\s+items\s+ANLS@1 ↑\s+ANLS@2 ↑\s+EXACT-MATCH ↑\s+RELAXED-ACCURACY ↑\s+PERFORMANCE ↓/);

    const ocr = await summaryOf('ocr-tesseract');
    expect(ocr.items).toEqual({ total: 30, succeeded: 30, failed: 0 });
    const score = (id: string) => ocr.metrics.find((m: { id: string }) => m.id === id).score;
    // Clean rendered text: tesseract gets nearly every character right.
    expect(score('cer@1')).toBeLessThan(0.05);
    expect(score('anls@2')).toBeGreaterThan(0.9);
    const cer = ocr.metrics.find((m: { id: string }) => m.id === 'cer@1');
    expect(cer.ci[0]).toBeLessThanOrEqual(cer.score);
    expect(cer.ci[1]).toBeGreaterThanOrEqual(cer.score);
    expect(ocr.groups[0].rows[0].scores['cer@1']).toMatchObject({ n: 8 });
    expect(ocr.groups[0].rows.map((r: { key: { doc_type: string } }) => r.key.doc_type)).toEqual(['form', 'invoice', 'letter', 'receipt']);
    expect(await readFile(join(project, 'results/demo/ocr-tesseract/report.md'), 'utf8')).toContain('## By doc_type');
    expect(await readFile(join(project, 'results/demo/ocr-tesseract/report.html'), 'utf8')).toContain('<svg');

    if (existsSync(russianData)) {
      const ru = await summaryOf('ocr-tesseract-ru');
      expect(ru.items.succeeded).toBe(10);
    }

    // The engine answers from the manifests, so every VQA answer and every label is right.
    const vqa = await summaryOf('vqa-openai');
    expect(vqa.items.failed).toBe(0);
    expect(vqa.metrics.slice(0, 4).map((m: { id: string; score: number }) => [m.id, m.score])).toEqual([
      ['anls@1', 1],
      ['anls@2', 1],
      ['exact-match@1', 1],
      ['relaxed-accuracy@1', 1],
    ]);
    expect(vqa.metrics[4]).toMatchObject({ id: 'performance@1', direction: 'lower', n: 76 });
    const vqaReport = await readFile(join(project, 'results/demo/vqa-openai/report.md'), 'utf8');
    expect(vqaReport).toContain('anls@1');
    expect(vqaReport).toContain('anls@2');
    expect(vqa.timing.ttftMs).not.toBeNull();
    const classify = await summaryOf('classify-openai');
    expect(classify.metrics[0]).toMatchObject({ id: 'classification@1', score: 1, n: 40 });
    expect(classify.metrics[0].details.macroF1).toBe(1);
    // Every request named the model from VHB_OPENAI_MODEL, and the key appears in no result file.
    expect([...modelsAsked]).toEqual([MODEL]);
    const files = (await readdir(join(project, 'results'), { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(await readFile(join(file.parentPath, file.name), 'utf8')).not.toContain(API_KEY);

    if (existsSync(CHROMIUM)) await checkHtmlReport(join(project, 'results/demo/ocr-tesseract/report.html'));

    // A second invocation redoes nothing: no request reaches the engine.
    const before = requests;
    const again = await vhb('run');
    expect(again.code).toBe(0);
    expect(requests).toBe(before);
  });
});
