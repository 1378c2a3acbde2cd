import { isVhbError } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import task from '../src/index.js';

const item = { id: 'q-1', image: '/data/docvqa/q-1.png', question: 'What is the date?', references: ['1 May 1999'], metadata: {} };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('vqa buildRequest', () => {
  it('puts the question into the default prompt and sends the image', () => {
    expect(task.buildRequest(item, task.defaultPrompt, undefined)).toEqual({
      id: 'q-1',
      image: '/data/docvqa/q-1.png',
      prompt: 'What is the date?\nAnswer the question using a single word or phrase.',
    });
  });

  it('renders a custom template with a system part', () => {
    const prompt = { id: 'terse', system: 'Be terse.', user: 'Q: {{question}}' };
    expect(task.buildRequest(item, prompt, undefined)).toEqual({
      id: 'q-1',
      image: '/data/docvqa/q-1.png',
      system: 'Be terse.',
      prompt: 'Q: What is the date?',
    });
  });

  it('sends no image field for an item without one', () => {
    const request = task.buildRequest({ ...item, image: undefined }, task.defaultPrompt, undefined);
    expect('image' in request).toBe(false);
  });

  it('refuses an item without a question, or with a blank one, naming the item', () => {
    for (const question of [undefined, '  ']) {
      const error = thrown(() => task.buildRequest({ ...item, id: 'q-9', question }, task.defaultPrompt, undefined));
      expect(isVhbError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('VHB_E_TASK_NO_QUESTION');
      expect((error as Error).message).toContain('q-9');
    }
  });
});
