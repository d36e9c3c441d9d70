import { describe, expect, it } from 'vitest';
import { clockFor, ManualClock, SYSTEM_CLOCK } from './clock.ts';

describe('clocks', () => {
  it('a manual clock stands still until it is set, and says whether it ever was', async () => {
    const clock = new ManualClock(new Date('2026-03-10T08:00:00+05:30'));
    expect(clock.isSet).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now().toISOString()).toBe('2026-03-10T02:30:00.000Z');
    clock.set(new Date('2026-03-10T09:15:00+05:30'));
    expect(clock.now().toISOString()).toBe('2026-03-10T03:45:00.000Z');
    // Each reading is a copy: changing it does not move the clock.
    clock.now().setTime(0);
    expect(clock.now().toISOString()).toBe('2026-03-10T03:45:00.000Z');
    expect(() => clock.set(new Date('not a time'))).toThrow(/valid time/);
    expect(clock.now().toISOString()).toBe('2026-03-10T03:45:00.000Z');
  });

  it('a manual clock made without a time reads the time it was made at, and counts as never set until set', () => {
    const before = Date.now();
    const clock = new ManualClock();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
    expect(clock.now().getTime()).toBeLessThanOrEqual(Date.now());
    expect(clock.isSet).toBe(false);
    clock.set(new Date('2026-03-10T08:00:00Z'));
    expect(clock.isSet).toBe(true);
  });

  it('the system clock moves; OPD_CLOCK picks one or the other', async () => {
    const first = SYSTEM_CLOCK.now().getTime();
    await new Promise((r) => setTimeout(r, 15));
    expect(SYSTEM_CLOCK.now().getTime()).toBeGreaterThan(first);
    expect(clockFor('system')).toBe(SYSTEM_CLOCK);
    expect(clockFor('manual')).toBeInstanceOf(ManualClock);
  });
});
