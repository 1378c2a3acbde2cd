import { isVhbError } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import task from '../src/index.js';

const item = {
  id: 'doc-000000',
  image: '/data/synthdoc/doc-000000.png',
  references: ['{"merchant":"HOME HARDWARE","date":"2021-12-06","time":"21:36","total":"27.16"}'],
  metadata: { doc_type: 'receipt', language: 'en', fields: 'merchant, date, time, total' },
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('kie buildRequest', () => {
  it('lists the item fields in the default prompt and sends the image', () => {
    expect(task.buildRequest(item, task.defaultPrompt, undefined)).toEqual({
      id: 'doc-000000',
      image: '/data/synthdoc/doc-000000.png',
      prompt:
        'Extract these fields from the document: merchant, date, time, total.\n' +
        'Answer with a JSON object that has exactly these keys, each value copied as it is written on the document. Output only the JSON.',
    });
  });

  it('renders a custom template with a system part and other metadata', () => {
    const prompt = {
      id: 'kie-ru',
      system: 'You read {{metadata.doc_type}}s.',
      user: 'JSON with keys {{metadata.fields}} ({{metadata.language}})',
    };
    expect(task.buildRequest(item, prompt, undefined)).toEqual({
      id: 'doc-000000',
      image: '/data/synthdoc/doc-000000.png',
      system: 'You read receipts.',
      prompt: 'JSON with keys merchant, date, time, total (en)',
    });
  });

  it('fails an item without fields when the prompt needs them, naming the item and the key', () => {
    const error = thrown(() =>
      task.buildRequest({ ...item, id: 'doc-9', metadata: { doc_type: 'receipt' } }, task.defaultPrompt, undefined),
    );
    expect(isVhbError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('VHB_E_PROMPT_MISSING');
    expect((error as Error).message).toContain('doc-9');
    expect((error as Error).message).toContain('"fields"');
  });

  it('refuses an item without an image, naming the item', () => {
    for (const image of [undefined, '']) {
      const error = thrown(() => task.buildRequest({ ...item, id: 'doc-7', image }, task.defaultPrompt, undefined));
      expect(isVhbError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('VHB_E_TASK_NO_IMAGE');
      expect((error as Error).message).toContain('doc-7');
    }
  });
});
