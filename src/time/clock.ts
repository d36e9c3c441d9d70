// The service's time source, injected (the Clock interface of src/access/types.ts): the system
// clock in production, a ManualClock for demos, drills and tests (OPD_CLOCK=manual), which only
// moves when it is set. The engine never reads a clock; the desk hands it `now`.

import type { Clock } from '../access/types.ts';

export type { Clock };

/** The machine's clock. */
export const SYSTEM_CLOCK: Clock = Object.freeze({ now: () => new Date() });

/** A clock that stands still until it is set. */
export class ManualClock implements Clock {
  private ms: number;
  private wasSet: boolean;

  /** Without a start time it reads the system time at creation, and counts as never set. */
  constructor(start?: Date) {
    this.ms = (start ?? new Date()).getTime();
    if (Number.isNaN(this.ms)) throw new Error('a manual clock needs a valid start time');
    this.wasSet = start !== undefined;
  }

  now(): Date {
    return new Date(this.ms);
  }

  set(now: Date): void {
    const ms = now.getTime();
    if (Number.isNaN(ms)) throw new Error('a manual clock needs a valid time');
    this.ms = ms;
    this.wasSet = true;
  }

  /** Whether it was given a time (at creation or since): a clock that was not may resume where a log ends. */
  get isSet(): boolean {
    return this.wasSet;
  }
}

/** The clock OPD_CLOCK names. */
export function clockFor(kind: 'system' | 'manual'): Clock {
  return kind === 'manual' ? new ManualClock() : SYSTEM_CLOCK;
}
