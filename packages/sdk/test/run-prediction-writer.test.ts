import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../src/index.js';
import { openForAppend, PredictionWriter } from '../src/run/prediction-writer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vhb-writer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const record = (id: string): PredictionRecord => ({
  id,
  references: [],
  metadata: {},
  prompt: 'p',
  prediction: 'x',
  raw: 'x',
  timing: null,
  attempts: 1,
  error: null,
});

describe('PredictionWriter', () => {
  it('writes the records of one turn together, and publishes each only once its line is in the file', async () => {
    const path = join(dir, 'predictions.jsonl');
    const handle = await openForAppend(path);
    const seen: { id: string; lines: number }[] = [];
    const writer = new PredictionWriter(handle, (entry) => {
      seen.push({ id: entry.id, lines: readFileSync(path, 'utf8').split('\n').filter(Boolean).length });
    });
    for (const id of ['a', 'b', 'c']) writer.add(record(id));
    // Nothing written or published before the turn ends.
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(seen).toEqual([]);
    await tick();
    // One write with the three lines, then the three published in file order.
    expect(seen).toEqual([
      { id: 'a', lines: 3 },
      { id: 'b', lines: 3 },
      { id: 'c', lines: 3 },
    ]);
    writer.add(record('d'));
    writer.close();
    // close() writes what is queued at once; nothing is taken afterwards.
    expect(seen.at(-1)).toEqual({ id: 'd', lines: 4 });
    expect(() => writer.add(record('e'))).toThrow(/after predictions\.jsonl was closed/);
    await handle.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as PredictionRecord).id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ends a torn last line before appending', async () => {
    const path = join(dir, 'predictions.jsonl');
    await writeFile(path, `${JSON.stringify(record('a'))}\n{"id":"b","pre`);
    const handle = await openForAppend(path);
    const writer = new PredictionWriter(handle, () => {});
    writer.add(record('c'));
    writer.close();
    await handle.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines[1]).toBe('{"id":"b","pre');
    expect(JSON.parse(lines[2] as string).id).toBe('c');
  });

  it('a failed write publishes nothing and fails every later add and the close', async () => {
    const handle = await open(join(dir, 'read-only.jsonl'), 'w+');
    await handle.close();
    // A read-only descriptor: every write fails with EBADF.
    const readOnly = await open(join(dir, 'read-only.jsonl'), 'r');
    const published: string[] = [];
    const writer = new PredictionWriter(readOnly, (entry) => published.push(entry.id));
    writer.add(record('a'));
    await tick();
    expect(published).toEqual([]);
    expect(() => writer.add(record('b'))).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(() => writer.close()).toThrow(expect.objectContaining({ code: 'EBADF' }));
    await readOnly.close();
  });
});
