// Times of the benchmark's day, and the one place that reads the real clock: the benchmarks stand
// outside the engine, so timing them with the process clock is fine.

import v8 from 'node:v8';
import vm from 'node:vm';
import type { Command, Millis } from '../src/engine/index.ts';

export const MINUTE = 60_000;
export const DATE = '2025-03-10';
const IST_OFFSET = 330 * MINUTE;

/** Hospital-local (Asia/Kolkata) time of the benchmark's date, as epoch milliseconds. */
export function localTime(hour: number, minute = 0): Millis {
  return Date.UTC(2025, 2, 10, hour, minute) - IST_OFFSET;
}

/** One engine command, due at `now` on one doctor-day. */
export interface Step {
  day: number;
  now: Millis;
  command: Command;
}

/** Nanoseconds since an arbitrary origin. */
export function nanos(): bigint {
  return process.hrtime.bigint();
}

/** The cost of one `nanos()` reading, in nanoseconds (median of many), to judge per-call timings. */
export function timerOverheadNs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = nanos();
    for (let j = 0; j < 10_000; j++) nanos();
    samples.push(Number(nanos() - start) / 10_000);
  }
  return median(samples);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// A full collection before each timed run, so that one run does not pay for the garbage of the last
// (`npm run bench` runs plain `node`, so the collector is exposed here rather than by a flag).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects the garbage of earlier work; call it outside the timed region. */
export function settle(): void {
  gc();
}
