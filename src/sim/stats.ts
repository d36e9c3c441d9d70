// The arithmetic behind `opd simulate --compare --seeds N`: the mean of a metric over N seeded days
// with its 95% confidence interval (Student's t), and the same for the day-by-day difference between
// two policies run on the same days (a paired interval, which removes the day-to-day noise that both
// policies share). Small enough to check by hand: see stats.test.ts.

/**
 * Two-sided 95% critical values of Student's t (the 0.975 quantile) by degrees of freedom, from the
 * standard table; between rows the value is interpolated linearly in 1/df, the usual way to read the
 * table (exact to the 3rd decimal in this range).
 */
const T975: readonly [number, number][] = [
  [1, 12.7062], [2, 4.3027], [3, 3.1824], [4, 2.7764], [5, 2.5706], [6, 2.4469], [7, 2.3646], [8, 2.306],
  [9, 2.2622], [10, 2.2281], [11, 2.201], [12, 2.1788], [13, 2.1604], [14, 2.1448], [15, 2.1314], [16, 2.1199],
  [17, 2.1098], [18, 2.1009], [19, 2.093], [20, 2.086], [21, 2.0796], [22, 2.0739], [23, 2.0687], [24, 2.0639],
  [25, 2.0595], [26, 2.0555], [27, 2.0518], [28, 2.0484], [29, 2.0452], [30, 2.0423], [40, 2.0211], [60, 2.0003],
  [120, 1.9799],
];
/** The normal distribution's 0.975 quantile: t's limit as df grows. */
const Z975 = 1.96;

/** The 0.975 quantile of Student's t with `df` degrees of freedom (df ≥ 1). */
export function tCritical(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a whole number ≥ 1, not ${df}`);
  for (let i = 0; i < T975.length; i++) {
    const [d, t] = T975[i]!;
    if (d === df) return t;
    if (d > df) {
      const [d0, t0] = T975[i - 1]!;
      const w = (1 / d0 - 1 / df) / (1 / d0 - 1 / d);
      return t0 + w * (t - t0);
    }
  }
  const [d0, t0] = T975[T975.length - 1]!;
  // Between df 120 and infinity (1/df = 0).
  return Z975 + (t0 - Z975) * (d0 / df);
}

export interface Interval {
  /** How many values it rests on. */
  n: number;
  mean: number | null;
  /** Half the width of the 95% interval: mean ± halfWidth. Null below 2 values. */
  halfWidth: number | null;
}

/** Mean and 95% interval of the mean: mean ± t(n−1) · s / √n, s the sample standard deviation. */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  if (n === 0) return { n, mean: null, halfWidth: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, halfWidth: null };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, halfWidth: tCritical(n - 1) * Math.sqrt(variance / n) };
}

export interface Difference extends Interval {
  /** The interval leaves out zero: the difference is larger than the day-to-day noise. */
  beyondNoise: boolean;
}

/**
 * The paired difference a − b over the same days (days where either value is missing are left out),
 * with its 95% interval. It is beyond the noise when the interval does not include zero; a difference
 * that is exactly the same on every day (an interval of width 0) is beyond the noise unless it is 0.
 */
export function pairedDifference(a: readonly (number | null)[], b: readonly (number | null)[]): Difference {
  const diffs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) diffs.push(x - y);
  }
  const interval = meanInterval(diffs);
  const beyondNoise = interval.mean !== null && interval.halfWidth !== null && Math.abs(interval.mean) > interval.halfWidth;
  return { ...interval, beyondNoise };
}
