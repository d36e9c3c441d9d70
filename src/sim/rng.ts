// Seeded randomness for the generated day. Everything random about a day is drawn up front from
// these streams, so a seed fixes the day, and the same day can be replayed under several policies.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export class Rng {
  constructor(private readonly gen: JumpableRandomGenerator) {}

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform whole number in [from, to]. */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  uniform(from: number, to: number): number {
    return from + (to - from) * this.float();
  }

  /** Box–Muller; 1 − u keeps the logarithm away from 0. */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal with the given mean (not median) and shape σ: μ = ln(mean) − σ²/2. */
  lognormal(mean: number, sigma: number): number {
    return Math.exp(this.normal(Math.log(mean) - (sigma * sigma) / 2, sigma));
  }

  /** Poisson by Knuth's product of uniforms: exact, and quick for the small means of one doctor-day. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 500) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.float(); p > limit; p *= this.float()) k++;
    return k;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** An index drawn with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

/**
 * One independent stream per doctor: each is the seed's generator jumped 2^64 steps further than the
 * last (pure-rand's advice for parallel simulations), so adding doctor 4 never changes doctors 1–3.
 */
export function doctorStreams(seed: number, count: number): Rng[] {
  const base = xoroshiro128plus(seed | 0);
  const out: Rng[] = [];
  for (let i = 0; i < count; i++) {
    base.jump();
    out.push(new Rng(base.clone()));
  }
  return out;
}
