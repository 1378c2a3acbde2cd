import { isVhbError } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import task from '../src/index.js';

const item = { id: 'r-7', image: '/data/receipts/r-7.png', references: ['TOTAL 3.50'], metadata: { language: 'en' } };

describe('ocr buildRequest', () => {
  it('sends the image with the default prompt', () => {
    expect(task.buildRequest(item, task.defaultPrompt, undefined)).toEqual({
      id: 'r-7',
      image: '/data/receipts/r-7.png',
      prompt: 'Transcribe all the text in this image, line by line. Output only the text.',
    });
  });

  it('renders a custom template with its system part and item variables', () => {
    const prompt = { id: 'lang', system: 'You are an OCR engine.', user: 'Transcribe this {{metadata.language}} receipt ({{id}}).' };
    expect(task.buildRequest(item, prompt, undefined)).toEqual({
      id: 'r-7',
      image: '/data/receipts/r-7.png',
      system: 'You are an OCR engine.',
      prompt: 'Transcribe this en receipt (r-7).',
    });
  });

  it('refuses an item without an image, naming the item', () => {
    const noImage = { id: 'r-8', references: ['x'], metadata: {} };
    let error: unknown;
    try {
      task.buildRequest(noImage, task.defaultPrompt, undefined);
    } catch (caught) {
      error = caught;
    }
    expect(isVhbError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('VHB_E_TASK_NO_IMAGE');
    expect((error as Error).message).toContain('r-8');
    expect((error as { hint: string }).hint).toMatch(/image/);
  });
});
