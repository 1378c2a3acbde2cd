import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveImagePath } from '../src/index.js';
import { chat, DATASET_ROOT, type Setup, setup } from './helpers.js';

const withImage = (url: string) => ({
  model: 'm',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'read it' },
        { type: 'image_url', image_url: { url } },
      ],
    },
  ],
});

describe('image paths under the dataset root', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.close());

  it('sends an image path under the root to the engine as a data URL of the file', async () => {
    const response = await chat(s.gateway, withImage('images/doc-003.png'));
    expect(response.status).toBe(200);
    const sent = s.engine.requests.at(-1)?.body as { messages: { content: { image_url?: { url: string } }[] }[] };
    const url = sent.messages[0]!.content[1]!.image_url!.url;
    const bytes = await readFile(join(DATASET_ROOT, 'images', 'doc-003.png'));
    expect(url).toBe(`data:image/png;base64,${bytes.toString('base64')}`);
    // 2 words + 85 per image.
    expect((await response.json()).usage.prompt_tokens).toBe(87);
  });

  it('passes data URLs through untouched', async () => {
    const url = 'data:image/png;base64,iVBORw0KGgo=';
    expect((await chat(s.gateway, withImage(url))).status).toBe(200);
    const sent = s.engine.requests.at(-1)?.body as { messages: { content: { image_url?: { url: string } }[] }[] };
    expect(sent.messages[0]!.content[1]!.image_url!.url).toBe(url);
  });

  it('refuses ../, absolute paths elsewhere and missing files with 400 naming the path, calling no engine', async () => {
    const before = s.engine.counts.total;
    for (const [path, words] of [
      ['../../package.json', 'contains ".."'],
      ['images/../../../etc/passwd', 'contains ".."'],
      ['/etc/passwd', 'outside the dataset root'],
      ['images/none.png', 'does not exist'],
    ] as const) {
      const response = await chat(s.gateway, withImage(path));
      expect(response.status, path).toBe(400);
      const body = await response.json();
      expect(body.error.code).toBe('VHB_E_GATEWAY_IMAGE');
      expect(body.error.message).toContain(path);
      expect(body.error.message).toContain(words);
    }
    expect(s.engine.counts.total).toBe(before);
  });

  it('refuses a link that leads out of the root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vhb-gw-root-'));
    const outside = await mkdtemp(join(tmpdir(), 'vhb-gw-out-'));
    await writeFile(join(outside, 'secret.png'), 'x');
    await writeFile(join(root, 'ok.png'), 'x');
    await symlink(join(outside, 'secret.png'), join(root, 'link.png'));
    await expect(resolveImagePath(root, 'link.png')).rejects.toThrow(/leads outside the dataset root/);
    await expect(resolveImagePath(root, 'ok.png')).resolves.toMatch(/ok\.png$/);
    await expect(resolveImagePath(root, join(root, 'ok.png'))).resolves.toMatch(/ok\.png$/);
    await expect(resolveImagePath(undefined, 'ok.png')).rejects.toThrow(/no dataset root/);
  });
});
