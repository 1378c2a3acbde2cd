import { describe, expect, it } from 'vitest';
import * as mod from '../src/index.js';

describe('@vhb-tools/test-engine exports', () => {
  it('exposes exactly the documented API', () => {
    expect(Object.keys(mod).sort()).toEqual([
      'IMAGE_TOKENS',
      'USAGE',
      'countPromptTokens',
      'defaultAnswer',
      'defaultChunks',
      'lastUserText',
      'main',
      'messageText',
      'startTestEngine',
    ]);
  });
});
