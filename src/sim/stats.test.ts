import { describe, expect, it } from 'vitest';
import { meanInterval, pairedDifference, tCritical } from './stats.ts';

// Every expected number here was worked out by hand (the steps are in the comments).
describe('95% intervals', () => {
  it("reads Student's t from the table, and between its rows", () => {
    expect(tCritical(4)).toBe(2.7764);
    expect(tCritical(19)).toBe(2.093);
    // df 35 lies between 30 (2.0423) and 40 (2.0211): w = (1/30 − 1/35) / (1/30 − 1/40) = 4/7,
    // 2.0423 − 4/7 × 0.0212 = 2.03019 (the exact quantile is 2.0301).
    expect(tCritical(35)).toBeCloseTo(2.03019, 4);
    // df 240, beyond the last row: 1.96 + (1.9799 − 1.96) × 120/240 = 1.96995 (exact: 1.9700).
    expect(tCritical(240)).toBeCloseTo(1.96995, 4);
    expect(() => tCritical(0)).toThrow(RangeError);
  });

  it('gives the mean ± t·s/√n', () => {
    // 1..5: mean 3, s² = (4+1+0+1+4)/4 = 2.5, s/√n = √0.5 = 0.70711, × t(4) 2.7764 = 1.96321.
    const a = meanInterval([1, 2, 3, 4, 5]);
    expect(a.mean).toBe(3);
    expect(a.halfWidth).toBeCloseTo(1.96321, 4);
    // Twenty days, ten at 10 and ten at 12: mean 11, s² = 20/19, s/√20 = 0.229416, × 2.093 = 0.480168.
    const b = meanInterval([...Array<number>(10).fill(10), ...Array<number>(10).fill(12)]);
    expect(b.mean).toBe(11);
    expect(b.halfWidth).toBeCloseTo(0.480168, 5);
  });

  it('has no interval from one day, and nothing from none', () => {
    expect(meanInterval([7])).toEqual({ n: 1, mean: 7, halfWidth: null });
    expect(meanInterval([])).toEqual({ n: 0, mean: null, halfWidth: null });
  });

  it('compares two policies day by day, and says when the difference is beyond the noise', () => {
    // Differences 1, 2, 3: mean 2, s = 1, s/√3 = 0.57735, × t(2) 4.3027 = 2.48417 > 2: within the noise.
    const within = pairedDifference([5, 7, 9], [4, 5, 6]);
    expect(within.mean).toBe(2);
    expect(within.halfWidth).toBeCloseTo(2.48417, 4);
    expect(within.beyondNoise).toBe(false);
    // Differences 1..5: mean 3 ± 1.96321: zero is outside.
    expect(pairedDifference([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]).beyondNoise).toBe(true);
    // The same 10 more on every day: an interval of width 0 that leaves out zero.
    expect(pairedDifference([11, 12, 13], [1, 2, 3])).toEqual({ n: 3, mean: 10, halfWidth: 0, beyondNoise: true });
    // Identical every day: no difference at all.
    expect(pairedDifference([4, 4, 9], [4, 4, 9])).toEqual({ n: 3, mean: 0, halfWidth: 0, beyondNoise: false });
  });

  it('leaves out the days where either policy has no value', () => {
    // Days 1 and 3 only: differences 1 and 2, mean 1.5, s = 0.70711, s/√2 = 0.5, × t(1) 12.7062 = 6.3531.
    const d = pairedDifference([1, null, 3], [0, 5, 1]);
    expect(d.n).toBe(2);
    expect(d.mean).toBe(1.5);
    expect(d.halfWidth).toBeCloseTo(6.3531, 4);
  });
});
