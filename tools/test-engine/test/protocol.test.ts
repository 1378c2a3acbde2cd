import { describe, expect, it } from 'vitest';
import { countPromptTokens, defaultAnswer, defaultChunks, lastUserText, messageText } from '../src/index.js';

const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };

describe('defaultChunks', () => {
  it('splits into whitespace-led words', () => {
    expect(defaultChunks('a b c')).toEqual(['a', ' b', ' c']);
    expect(defaultChunks('  lead\nnew  line ')).toEqual(['  lead', '\nnew', '  line']);
    expect(defaultChunks('')).toEqual([]);
    expect(defaultChunks('   ')).toEqual([]);
  });
});

describe('messageText and lastUserText', () => {
  it('reads string content and joins text parts with a newline, skipping images', () => {
    expect(messageText({ role: 'user', content: 'plain' })).toBe('plain');
    expect(messageText({ role: 'user', content: [{ type: 'text', text: 'one' }, image, { type: 'text', text: 'two' }] })).toBe('one\ntwo');
    expect(messageText({ role: 'user', content: null })).toBe('');
  });

  it('takes the last user message, not the last message', () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: [image, { type: 'text', text: 'second' }] },
      { role: 'assistant', content: 'prefill' },
    ];
    expect(lastUserText(messages)).toBe('second');
    expect(lastUserText([{ role: 'system', content: 'only' }])).toBe('');
    expect(defaultAnswer({ messages })).toBe('echo: second');
  });
});

describe('countPromptTokens', () => {
  it('counts words of every text part of every message plus 85 per image', () => {
    const messages = [
      { role: 'system', content: 'You read documents.' }, // 3
      { role: 'user', content: [{ type: 'text', text: ' What is  the total? ' }, image, image] }, // 4 + 170
    ];
    expect(countPromptTokens(messages)).toBe(177);
    expect(countPromptTokens([{ role: 'user', content: '' }])).toBe(0);
  });
});
