import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../engine/index.ts';
import { assignmentDay } from './assignment-day.ts';
import { MetricsCollector, waitStats } from './metrics.ts';
import { runDay } from './runner.ts';

describe('waitStats', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even one', () => {
    expect(waitStats([5, 1, 3]).medianMinutes).toBe(3);
    expect(waitStats([4, 1, 3, 2]).medianMinutes).toBe(2.5);
  });

  it('uses the nearest-rank 90th percentile', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(waitStats(ten).p90Minutes).toBe(9);
    expect(waitStats([...ten, 11]).p90Minutes).toBe(10);
    expect(waitStats([7]).p90Minutes).toBe(7);
  });

  it('reports nothing, not zero, when nobody waited', () => {
    expect(waitStats([])).toEqual({ count: 0, meanMinutes: null, medianMinutes: null, p90Minutes: null, maxMinutes: null });
  });
});

describe('MetricsCollector on the assignment day', () => {
  const plan = assignmentDay();
  const collector = new MetricsCollector(plan);
  const run = runDay(plan, { policy: DEFAULT_POLICY, observers: [collector] });
  const m = collector.finish(run);

  it('counts tokens by source and outcome', () => {
    expect(m.tokens.issued).toBe(15);
    expect(m.tokens.bySource.ONLINE).toMatchObject({ issued: 10, COMPLETED: 8, NO_SHOW: 1, EXPIRED: 1 });
    expect(m.tokens.bySource.PAID).toMatchObject({ issued: 1, CANCELLED: 1 });
    expect(m.tokens.byOutcome.COMPLETED).toBe(12);
  });

  it('measures waits from check-in to call', () => {
    // OR-003 checked in at 09:20 for 10:00 and was called at 09:50; the emergency waited 09:25 → 09:31.
    expect(m.longestWait).toMatchObject({ doctor: 'OR', token: 'OR-003', minutes: 30 });
    expect(m.waits.bySource.EMERGENCY).toMatchObject({ count: 1, medianMinutes: 6 });
    expect(m.waits.bySource.PAID.count).toBe(0);
  });

  it('counts seats used and the overflow per slot', () => {
    const nine = m.seats.bySlotTime[0]!;
    expect(nine).toMatchObject({ slot: '09:00–10:00', capacity: 6, used: 7, peakOccupied: 7, noShows: 1 });
    expect(nine.utilisation).toBeCloseTo(7 / 6, 3);
    expect(m.overflowSeats).toBe(1);
  });

  it('counts bumps, promotions by cause, no-shows by kind, and the doctors’ day', () => {
    expect(m.bumps).toMatchObject({ total: 1, toLaterSlot: 1, toWaitlist: 0 });
    expect(m.bumps.bySource.ONLINE).toBe(1);
    expect(m.promotions).toEqual({ total: 2, byCause: { cancelled: 1, 'no-show': 1 } });
    expect(m.noShows).toEqual({ total: 1, byStaff: 1, afterGrace: 0, afterSkips: 0 });
    expect(m.doctors.map((d) => `${d.code} ${d.startedCallingAt?.slice(11, 16)} ${d.lastCompletedAt?.slice(11, 16)}`)).toEqual([
      'GM 09:04 11:12',
      'OR 09:03 10:02',
      'PD 09:07 10:24',
    ]);
    expect(m.invariants.violations).toBe(0);
  });

  it('counts the events of a refused command too: they happened (engine decision 2)', () => {
    const c = new MetricsCollector(plan);
    const again = runDay(plan, { policy: DEFAULT_POLICY, observers: [c] });
    const promoted = { type: 'TokenAllocated', at: 0, tokenId: 'GM-t4', slotId: 'GM-s2', reason: 'promoted', cause: 'reserve-released' } as const;
    c.onCommand({ at: 0, doctor: 0, command: { type: 'callNext' }, outcome: { ok: false, code: 'QUEUE_EMPTY', message: 'nobody', events: [promoted] } }, again.days[0]!);
    const out = c.finish(again);
    expect(out.refusals).toEqual({ total: 1, byCode: { QUEUE_EMPTY: 1 } });
    expect(out.promotions.byCause).toEqual({ cancelled: 1, 'no-show': 1, 'reserve-released': 1 });
  });
});
