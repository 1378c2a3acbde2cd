import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest } from '@vhb/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Output } from '../src/index.js';
import * as cli from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'project');

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function vhb(project: string, ...args: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, debug: args.includes('--debug') };
  const code = await cli.main(['node', 'vhb', '--cwd', project, ...args], () => output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let project: string;
let callsFile: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'vhb-cli-'));
  await cp(fixture, project, { recursive: true });
  callsFile = join(project, 'calls.txt');
  await writeFile(
    join(project, 'registries/models/echo-model.yaml'),
    `name: echo-model\nadapter: echo-adapter\noptions: { calls_file: ${JSON.stringify(callsFile)} }\n`,
  );
  delete process.env.RUN_MODE;
});

afterEach(async () => {
  delete process.env.RUN_MODE;
  delete process.env.npm_config_fetch_retries;
  await rm(project, { recursive: true, force: true });
});

const calls = async () => (existsSync(callsFile) ? (await readFile(callsFile, 'utf8')).split('\n').filter(Boolean) : []);

describe('vhb', () => {
  it('exports main and the exit codes', () => {
    expect(Object.keys(cli).sort()).toEqual(['EXIT', 'main']);
    expect(cli.EXIT).toEqual({ ok: 0, runFailed: 1, invalidInput: 2 });
  });

  it('runs a plan: results on disk, a summary table, a skipped run with its reason', async () => {
    const result = await vhb(project, 'run', 'main');
    expect(result.code).toBe(0);
    const outDir = join(project, 'results/main/echo-words');
    const predictions = (await readFile(join(outDir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(predictions.map((p) => p.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(predictions.find((p) => p.id === 'd').error.message).toBe('the model refused');
    // a, b match their reference; c answers "gamma" to "GAMMA": 2 of 3 answered items → 0.667
    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.metrics[0]).toMatchObject({ id: 'same@1', n: 3 });
    expect(summary.metrics[0].score).toBeCloseTo(2 / 3, 10);
    // form: c alone (0), no interval from one item; letter: a and b (1, 1), every resample 1.
    expect(summary.groups[0].rows).toEqual([
      { key: { doc_type: 'form' }, n: 1, scores: { 'same@1': { score: 0, ci: null, n: 1 } }, prompts: { 'echo-default': 1 } },
      { key: { doc_type: 'letter' }, n: 2, scores: { 'same@1': { score: 1, ci: [1, 1], n: 2 } }, prompts: { 'echo-default': 2 } },
    ]);
    expect(await readFile(join(outDir, 'report.md'), 'utf8')).toBe(`same@1 ${2 / 3}\n`);
    for (const file of ['metrics.jsonl', 'plan.resolved.yaml', 'plugins.lock.json', 'run.json'])
      expect(existsSync(join(outDir, file))).toBe(true);
    expect(result.out).toMatch(/run\s+items\s+SAME ↑/);
    expect(result.out).toMatch(/echo-words\s+3\s+0\.667/);
    expect(result.err).toContain('offline-words');
    expect(result.err).toContain('skipped: no endpoint — set FIXTURE_URL');
  });

  it('resumes: a second run asks the model only for the item that failed', async () => {
    await vhb(project, 'run', 'main');
    expect((await calls()).sort()).toEqual(['a', 'b', 'c', 'd']);
    const second = await vhb(project, 'run', 'main');
    expect(second.code).toBe(0);
    expect((await calls()).sort()).toEqual(['a', 'b', 'c', 'd', 'd']);
    const lines = (await readFile(join(project, 'results/main/echo-words/predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(5);
  });

  it('answers re-asked items from the response cache, and retries a flaky one, saying both', async () => {
    const items = JSON.parse(await readFile(join(project, 'data/items.json'), 'utf8'));
    items.push({ id: 'e', question: 'FLAKY epsilon', references: ['epsilon'], doc_type: 'letter' });
    await writeFile(join(project, 'data/items.json'), JSON.stringify(items));
    const first = await vhb(project, 'run', 'main');
    expect(first.code).toBe(0);
    // e failed once (retryable), then answered: asked twice; the first retry gets a line, the run's line counts them.
    expect((await calls()).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'e']);
    expect(first.err).toMatch(/↻ echo-words: item e: VHB_E_ADAPTER_HTTP, retrying in \d+\.\d+s \(attempt 2\)/);
    expect(first.err).toMatch(/✔ echo-words\s.*\(1 retries\)/);
    // The results deleted by hand (not --fresh): the four answered items come from the cache, d is asked again.
    await rm(join(project, 'results'), { recursive: true });
    const second = await vhb(project, 'run', 'main');
    expect(second.code).toBe(0);
    expect((await calls()).sort()).toEqual(['a', 'b', 'c', 'd', 'd', 'e', 'e']);
    expect(second.err).toMatch(/✔ echo-words\s.*\(4 from cache\)/);
  });

  it('syncs a dataset from its store before the run: only what is missing or changed moves', async () => {
    // A store (here a folder; s3:// works the same, see @vhb/storage) holding the dataset and its manifest.
    const store = join(project, 'store');
    await cp(join(project, 'data'), store, { recursive: true });
    await buildManifest(store, { name: 'words' });
    await writeFile(
      join(project, 'registries/datasets/words.yaml'),
      `name: words\npackage: list-dataset\npath: synced\noptions: { file: items.json }\nsync: { from: store }\n`,
    );
    const first = await vhb(project, 'run', 'main');
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/echo-words\s+syncing dataset words: 1 files/);
    expect(first.err).toMatch(/dataset words synced: 1 fetched \(0\.0 MB\), 0 already here/);
    expect(await readFile(join(project, 'synced/items.json'), 'utf8')).toBe(await readFile(join(store, 'items.json'), 'utf8'));

    // A damaged local copy is found and fetched again; an intact one is not.
    await writeFile(join(project, 'synced/items.json'), '[]');
    const second = await vhb(project, 'run', 'main', '--fresh');
    expect(second.err).toMatch(/dataset words synced: 1 fetched/);
    const third = await vhb(project, 'run', 'main');
    expect(third.err).toMatch(/dataset words synced: 0 fetched \(0\.0 MB\), 1 already here/);
    expect((await calls()).filter((id) => id === 'a')).toHaveLength(2);
  });

  it("uploads each finished run's results to the plan's upload location, only what changed", async () => {
    const plan = join(project, 'registries/experiments/main.yaml');
    await writeFile(plan, `${await readFile(plan, 'utf8')}upload: { to: bucket }\n`);
    const first = await vhb(project, 'run', 'main');
    expect(first.code, first.err).toBe(0);
    const uploaded = /echo-words\s+results uploaded to (\S+): (\d+) files \(\d+\.\d MB\), 0 unchanged/.exec(first.err);
    expect(uploaded?.[1]).toBe(join(project, 'bucket'));
    const local = await readFile(join(project, 'results/main/echo-words/summary.json'), 'utf8');
    expect(await readFile(join(project, 'bucket/main/echo-words/summary.json'), 'utf8')).toBe(local);
    expect(existsSync(join(project, 'bucket/main/echo-words/vhb-dataset.json'))).toBe(true);
    // The second run asks the failed item again: only the files that changed are sent.
    const second = await vhb(project, 'run', 'main');
    const again = /echo-words\s+results uploaded to \S+: (\d+) files \(\d+\.\d MB\), (\d+) unchanged/.exec(second.err);
    const total = Number(uploaded?.[2]);
    expect(Number(again?.[1])).toBeGreaterThan(0);
    expect(Number(again?.[1])).toBeLessThan(total);
    expect(Number(again?.[1]) + Number(again?.[2])).toBe(total);
    const predictions = 'main/echo-words/predictions.jsonl';
    expect(await readFile(join(project, 'bucket', predictions), 'utf8')).toBe(
      await readFile(join(project, 'results', predictions), 'utf8'),
    );
  });

  it('--fresh starts over', async () => {
    await vhb(project, 'run', 'main');
    await vhb(project, 'run', 'main', '--fresh');
    expect(await calls()).toHaveLength(8);
  });

  it('a run whose plugin cannot load fails alone, with exit code 1', async () => {
    const result = await vhb(project, 'run', 'with-broken');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/broken-words.*failed/);
    expect(result.err).toContain('plugins/does-not-exist');
    expect(existsSync(join(project, 'results/with-broken/echo-words/summary.json'))).toBe(true);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('validate names the file, line and column of an unknown dataset, with a suggestion, exit 2', async () => {
    await writeFile(
      join(project, 'registries/runs/echo-words.yaml'),
      'name: echo-words\ntask: echo\nmodel: echo-model\ndataset: wordz\nmetrics: [same]\n',
    );
    const result = await vhb(project, 'validate', 'main');
    expect(result.code).toBe(2);
    const lines = result.err.split('\n');
    expect(lines[0]).toMatch(/^✖ registries\/runs\/echo-words\.yaml:4:10 {2}dataset "wordz" is not defined$/);
    expect(lines[1]).toBe('  did you mean "words"? (registries/datasets/words.yaml)');
    expect(result.err).not.toMatch(/\n\s+at /);
    const run = await vhb(project, 'run', 'main');
    expect(run.code).toBe(2);
  });

  it('RUN_MODE=dev applies the overlay that points a metric at a local path; prod uses the npm source', async () => {
    // prod: an npm registry on a port nothing listens on; the dev overlay links the local folder.
    await writeFile(
      join(project, 'registries/packages/len-metric.yaml'),
      'name: len-metric\nkind: metric\nsource: { type: npm, package: fixture-len-metric, version: "^1.0.0", registry: "http://127.0.0.1:9" }\n',
    );
    await writeFile(join(project, 'registries/packages/len-metric.dev.yaml'), 'source: { type: local, path: plugins/len-metric }\n');
    process.env.npm_config_fetch_retries = '0';
    const prod = await vhb(project, 'run', 'main', '--mode', 'prod');
    expect(prod.code).toBe(1);
    expect(prod.err).toMatch(/echo-words.*failed/);
    expect(prod.err).toContain('fixture-len-metric');

    process.env.RUN_MODE = 'dev';
    const dev = await vhb(project, 'run', 'main');
    expect(dev.code).toBe(0);
    expect(dev.err).toContain('RUN_MODE=dev');
    const lock = JSON.parse(await readFile(join(project, 'results/main/echo-words/plugins.lock.json'), 'utf8'));
    expect(lock['len-metric'].source).toEqual({ type: 'local', path: 'plugins/len-metric' });
  });

  it('bad plugin options fail the run before it starts, pointing at the YAML that set them', async () => {
    await writeFile(
      join(project, 'registries/models/echo-model.yaml'),
      'name: echo-model\nadapter: echo-adapter\noptions:\n  calls_fil: x\n',
    );
    const result = await vhb(project, 'run', 'main');
    expect(result.code).toBe(1);
    expect(result.err).toContain('echo-words');
    expect(result.err).toContain('registries/models/echo-model.yaml:4:3  adapter "echo" options are invalid: calls_fil: unknown option');
    expect(await calls()).toEqual([]);
  });

  it('validate passes a good plan', async () => {
    const result = await vhb(project, 'validate', 'main');
    expect(result.code).toBe(0);
    expect(result.out).toContain('plan main valid');
  });

  it('lists registry entries', async () => {
    const result = await vhb(project, 'list', 'metrics');
    expect(result.code).toBe(0);
    expect(
      result.out
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['broken', 'same']);
    const bad = await vhb(project, 'list', 'colours');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('cannot list "colours"');
  });

  it('an unknown plan is invalid input', async () => {
    const result = await vhb(project, 'run', 'nope');
    expect(result.code).toBe(2);
    expect(result.err).toContain('nope');
  });

  it('--help exits 0; an unknown option exits 2', async () => {
    expect((await vhb(project, 'run', '--help')).code).toBe(0);
    expect((await vhb(project, 'run', '--colour')).code).toBe(2);
  });
});
