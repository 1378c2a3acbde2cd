import { isVhbError } from '@vhb/sdk';
import { describe, expect, it } from 'vitest';
import task, { fillLabels } from '../src/index.js';

const options = { labels: ['invoice', 'letter', 'scientific report'] };
const item = { id: 'd-3', image: '/data/rvl/d-3.tif', references: ['letter'], metadata: { source: 'rvl-cdip' } };

describe('classification buildRequest', () => {
  it('lists the labels in the default prompt and sends the image', () => {
    expect(task.buildRequest(item, task.defaultPrompt, options)).toEqual({
      id: 'd-3',
      image: '/data/rvl/d-3.tif',
      prompt: 'What type of document is this? Answer with one of: invoice, letter, scientific report.',
    });
  });

  it('fills {{labels}} in the system part too, next to item variables', () => {
    const prompt = { id: 'sys', system: 'Labels: {{ labels }}', user: 'Classify {{metadata.source}} page {{id}}.' };
    expect(task.buildRequest(item, prompt, options)).toEqual({
      id: 'd-3',
      image: '/data/rvl/d-3.tif',
      system: 'Labels: invoice, letter, scientific report',
      prompt: 'Classify rvl-cdip page d-3.',
    });
  });

  it('fillLabels leaves the template it was given unchanged', () => {
    const prompt = { id: 'p', user: '{{labels}}' };
    expect(fillLabels(prompt, ['a', 'b'])).toEqual({ id: 'p', user: 'a, b' });
    expect(prompt.user).toBe('{{labels}}');
  });

  it('refuses an item without an image, naming the item', () => {
    let error: unknown;
    try {
      task.buildRequest({ ...item, id: 'd-4', image: undefined }, task.defaultPrompt, options);
    } catch (caught) {
      error = caught;
    }
    expect(isVhbError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('VHB_E_TASK_NO_IMAGE');
    expect((error as Error).message).toContain('d-4');
  });
});
