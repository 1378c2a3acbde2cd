import { describe, expect, it } from 'vitest';
import { defineMetric, type MetricPlugin, type MetricUse, type PredictionRecord, scoreItems, worstItems } from '../src/index.js';

const record = (id: string, prediction: string | null, image?: string): PredictionRecord => ({
  id,
  prediction,
  raw: prediction,
  references: [`ref ${id}`],
  metadata: {},
  ...(image ? { image } : {}),
  prompt: 'p1',
  timing: null,
  error: prediction === null ? { code: 'E', message: 'failed' } : null,
});

const numeric = (direction: 'higher' | 'lower'): MetricPlugin =>
  defineMetric({
    name: 'num',
    version: '1.0.0',
    description: 'the prediction as a number',
    algorithmVersion: 1,
    direction,
    score: (prediction) => {
      if (prediction === 'boom') throw new Error('cannot score');
      return { score: Number(prediction) };
    },
  });
const use = (plugin: MetricPlugin): MetricUse => ({ plugin, options: {}, id: 'num@1' });

describe('worstItems', () => {
  // Scores: a 0.5, b 0.1, c 0.9, d 0.1 (tied with b, later), e cannot be scored, f failed, g NaN, h 0.3 (Cyrillic id).
  const records = [
    record('a', '0.5', '/data/a.png'),
    record('b', '0.1'),
    record('c', '0.9'),
    record('d', '0.1', '/data/d.png'),
    record('e', 'boom'),
    record('f', null),
    record('g', 'not a number'),
    record('ж', '0.3'),
  ];

  it('lists the lowest scores first where higher is better; ties in id order', () => {
    const metrics = [use(numeric('higher'))];
    const worst = worstItems(records, scoreItems(records, metrics), metrics);
    expect(worst).toEqual({
      metric: 'num@1',
      direction: 'higher',
      items: [
        { id: 'b', score: 0.1, prediction: '0.1', references: ['ref b'] },
        { id: 'd', score: 0.1, prediction: '0.1', references: ['ref d'], image: '/data/d.png' },
        { id: 'ж', score: 0.3, prediction: '0.3', references: ['ref ж'] },
        { id: 'a', score: 0.5, prediction: '0.5', references: ['ref a'], image: '/data/a.png' },
        { id: 'c', score: 0.9, prediction: '0.9', references: ['ref c'] },
      ],
    });
  });

  it('lists the highest scores first where lower is better, and keeps only `count`', () => {
    const metrics = [use(numeric('lower'))];
    const worst = worstItems(records, scoreItems(records, metrics), metrics, 2);
    expect(worst?.items.map((i) => [i.id, i.score])).toEqual([
      ['c', 0.9],
      ['a', 0.5],
    ]);
  });

  it('does not depend on the records’ order', () => {
    const metrics = [use(numeric('higher'))];
    const reversed = [...records].reverse();
    expect(worstItems(reversed, scoreItems(reversed, metrics), metrics)).toEqual(
      worstItems(records, scoreItems(records, metrics), metrics),
    );
  });

  it('keeps ten by default, and ranks by the first metric only', () => {
    const many = Array.from({ length: 12 }, (_, i) => record(`i${i}`, String(i)));
    const other = defineMetric({ ...numeric('lower'), name: 'other' });
    const metrics = [use(numeric('higher')), { plugin: other, options: {}, id: 'other@1' }];
    const worst = worstItems(many, scoreItems(many, metrics), metrics);
    expect(worst?.metric).toBe('num@1');
    expect(worst?.items.map((i) => i.id)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9']);
  });

  it('is null without a metric', () => {
    expect(worstItems(records, new Map(), [])).toBeNull();
  });
});
