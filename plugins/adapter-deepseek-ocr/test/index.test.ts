import { checkPlugin } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb/adapter-deepseek-ocr', () => {
  it('exports the plugin and its helpers, and nothing else', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'ENDPOINT_ENV',
      'GRID',
      'MODES',
      'NGRAM_DEFAULTS',
      'PROMPTS',
      'deepseekOcrDetails',
      'deepseekOcrOptions',
      'default',
      'parseGrounded',
      'promptFor',
      'stripMarkdown',
    ]);
  });

  it('is a valid adapter plugin named deepseek-ocr, bound to I/O', () => {
    expect(checkPlugin(mod.default, 'adapter').ok).toBe(true);
    expect(mod.default.name).toBe('deepseek-ocr');
    expect(mod.default.resources).toEqual({ type: 'io' });
  });

  it('has the documented option defaults', () => {
    expect(mod.deepseekOcrOptions.parse({})).toEqual({
      mode: 'free_ocr',
      markdown: 'keep',
      ngram_guard: { ngram_size: 30, window_size: 90, whitelist_token_ids: [128821, 128822] },
      api_key_env: 'VHB_DEEPSEEK_OCR_API_KEY',
      timeout_ms: 300000,
      stream: true,
      concurrency: 4,
      extra_body: {},
    });
  });

  it('refuses an unknown mode, naming the ones it knows', () => {
    const parsed = mod.deepseekOcrOptions.safeParse({ mode: 'ocr' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('free_ocr');
  });

  it('writes the prompts of the model card', () => {
    expect(mod.MODES.map((mode) => mod.promptFor(mode, 'Total'))).toEqual([
      'Free OCR.',
      '<|grounding|>Convert the document to markdown.',
      '<|grounding|>OCR this image.',
      'Parse the figure.',
      'Describe this image in detail.',
      'Locate <|ref|>Total<|/ref|> in the image.',
    ]);
  });
});
