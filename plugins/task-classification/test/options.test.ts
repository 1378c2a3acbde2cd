import { describe, expect, it } from 'vitest';
import { classificationOptions } from '../src/index.js';

describe('classification options', () => {
  it('accepts two or more labels and trims them', () => {
    expect(classificationOptions.parse({ labels: [' invoice ', 'letter'] })).toEqual({ labels: ['invoice', 'letter'] });
  });

  it('refuses fewer than two labels, blank labels and a missing list', () => {
    expect(classificationOptions.safeParse({ labels: ['invoice'] }).success).toBe(false);
    expect(classificationOptions.safeParse({ labels: ['invoice', ' '] }).success).toBe(false);
    expect(classificationOptions.safeParse({}).success).toBe(false);
  });
});
