import { describe, expect, it } from 'vitest';
import { exp, log } from '../src/exact-math.js';

// Expected values: the exact result rounded to the nearest double, from Python's decimal module at
// 60 digits (float(Decimal(x).ln()), float(Decimal(y).exp())), an implementation independent of this one.
describe('log', () => {
  it('rounds correctly where V8 Math.log does not', () => {
    // Math.log gives 0.4457842128385747 and 0.602838191942558 here.
    expect(log(1.5617144322469243)).toBe(0.44578421283857467);
    expect(log(1.8272976691234564)).toBe(0.6028381919425579);
    expect(log(57.142857142857146)).toBe(4.045554398052669);
    expect(log(16.666666666666668)).toBe(2.8134107167600364);
    expect(log(100)).toBe(4.605170185988092);
    expect(log(1 / 3)).toBe(-1.0986122886681098);
  });

  it('handles 1, the ends of the range and subnormals', () => {
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log(-1)).toBeNaN();
    expect(log(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(log(Number.MIN_VALUE)).toBe(-744.4400719213812);
    expect(log(Number.MAX_VALUE)).toBe(709.782712893384);
    expect(log(1 + 2 ** -52)).toBe(2.2204460492503128e-16);
  });
});

describe('exp', () => {
  it('rounds correctly where V8 Math.exp or glibc does not', () => {
    // Math.exp gives 0.34052670957151443 and 0.0004634961783698912 here.
    expect(exp(-1.0772617142619083)).toBe(0.3405267095715144);
    expect(exp(-7.676712418149009)).toBe(0.00046349617836989127);
    // Both Math.exp and glibc 2.36 give 15.619699684601283 here, 0.50017 ulp from the exact value.
    expect(exp(2.7485329178887654)).toBe(15.619699684601281);
    expect(exp(-2)).toBe(0.1353352832366127);
    expect(exp(1)).toBe(Math.E);
  });

  it('handles 0, overflow, underflow and subnormal results', () => {
    expect(exp(0)).toBe(1);
    expect(exp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-746)).toBe(0);
    expect(exp(-9999999999)).toBe(0);
    expect(exp(-710.4461281163847)).toBe(2.86527868811763e-309);
    expect(exp(-744.4400719213812)).toBe(5e-324);
  });
});
