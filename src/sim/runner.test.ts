import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, mergePolicy, snapshot, type Command, type Policy } from '../engine/index.ts';
import { DEFAULT_DAY_INPUTS, generateDay } from './generated-day.ts';
import { localToEpoch } from '../time/local-time.ts';
import { MetricsCollector } from './metrics.ts';
import type { DayPlan } from './plan.ts';
import { runDay, type CommandRecord } from './runner.ts';
import { comparedPolicies } from './simulate.ts';

const MINUTE = 60_000;
const at = (hhmm: string) => localToEpoch('2025-03-10', hhmm);

/** One doctor, one 09:00–10:00 slot of 2 seats, and a script. */
function tinyPlan(script: [string, Command][]): DayPlan {
  return {
    scenario: 'assignment-day',
    date: '2025-03-10',
    timeZone: 'Asia/Kolkata',
    startAt: at('08:00'),
    doctors: [
      {
        doctor: { id: 'dr-gm', code: 'GM', name: 'Dr. Test', department: 'General Medicine' },
        slots: [{ id: 'GM-s1', start: at('09:00'), end: at('10:00'), capacity: 2 }],
        script: script.map(([time, command]) => ({ at: at(time), command })),
        patients: [],
        delay: null,
        callsWhenFree: false,
      },
    ],
  };
}

function record(plan: DayPlan, policy: Policy = DEFAULT_POLICY) {
  const records: CommandRecord[] = [];
  const metrics = new MetricsCollector(plan);
  const run = runDay(plan, { policy, observers: [{ onCommand: (r) => records.push(r) }, metrics] });
  return { run, records, metrics: metrics.finish(run) };
}

const issue = (n: number, slot = true): Command => ({
  type: 'issueToken',
  tokenId: `GM-t${n}`,
  source: 'ONLINE',
  patientKey: `P${n}`,
  ...(slot ? { slotId: 'GM-s1' } : {}),
});

describe('the event loop', () => {
  it('ticks every doctor-day once a minute until its last slot has ended and the grace has run out', () => {
    const { records } = record(tinyPlan([]));
    const ticks = records.filter((r) => r.command.type === 'tick').map((r) => r.at);
    // 08:00 … 10:15 inclusive: 136 minutes.
    expect(ticks).toHaveLength(136);
    expect(ticks[0]).toBe(at('08:00'));
    expect(ticks[ticks.length - 1]).toBe(at('10:00') + 15 * MINUTE);
    expect(ticks.every((t, i) => i === 0 || t - ticks[i - 1]! === MINUTE)).toBe(true);
  });

  it("runs the clock's tick before the desk's commands of the same minute", () => {
    // The patient turns up at 10:15, the minute the grace runs out: the tick has just marked the no-show.
    const { records } = record(tinyPlan([['09:00', issue(1)], ['10:15', { type: 'checkIn', tokenId: 'GM-t1' }]]));
    const atLast = records.filter((r) => r.at === at('10:15'));
    expect(atLast.map((r) => r.command.type)).toEqual(['tick', 'checkIn']);
    expect(atLast[0]!.outcome.events.map((e) => e.type)).toEqual(['TokenNoShow']);
    expect(atLast[1]!.outcome.ok).toBe(false);
  });

  it('orders same-time commands by the order they were scheduled', () => {
    const { records, run } = record(tinyPlan([['09:00', issue(1)], ['09:00', issue(2)], ['09:00', issue(3)]]));
    const issued = records.filter((r) => r.command.type === 'issueToken');
    const placed = issued.map((r) => {
      const label = run.days[0]!.tokens.get(r.outcome.ok ? r.outcome.tokenId! : '')!.label;
      return `${label} ${r.outcome.events.filter((e) => e.type !== 'TokenIssued').map((e) => e.type).join(',')}`;
    });
    expect(placed).toEqual(['GM-001 TokenAllocated', 'GM-002 TokenAllocated', 'GM-003 TokenWaitlisted']);
  });

  it('counts refusals by code and carries on', () => {
    const { records, metrics, run } = record(
      tinyPlan([
        ['09:00', issue(1)],
        ['09:00', issue(2)],
        ['09:00', issue(3)], // waitlisted
        ['09:01', { type: 'checkIn', tokenId: 'GM-t3' }], // INVALID_TRANSITION: it waits
        ['09:02', { type: 'callNext' }], // QUEUE_EMPTY: nobody checked in
        ['09:03', { ...(issue(9) as Extract<Command, { type: 'issueToken' }>), patientKey: 'P1' }], // DUPLICATE_TOKEN
        ['09:04', { type: 'checkIn', tokenId: 'GM-t1' }],
      ]),
    );
    expect(metrics.refusals).toEqual({ total: 3, byCode: { DUPLICATE_TOKEN: 1, INVALID_TRANSITION: 1, QUEUE_EMPTY: 1 } });
    expect(records.find((r) => r.at === at('09:04'))!.outcome.ok).toBe(true);
    expect(run.days[0]!.tokens.get('GM-t1')!.status).toBe('CHECKED_IN');
  });

  it('checks the invariants after every command, ticks included', () => {
    const { run } = record(tinyPlan([['09:00', issue(1)]]));
    expect(run.invariants.checks).toBe(run.commands);
    expect(run.commands).toBeGreaterThan(136);
  });
});

describe('a generated day run', () => {
  it('is the same run for the same plan and policy', () => {
    const plan = generateDay(DEFAULT_DAY_INPUTS, 7, 3);
    const a = record(plan);
    const b = record(generateDay(DEFAULT_DAY_INPUTS, 7, 3));
    expect(a.run.days.map(snapshot)).toEqual(b.run.days.map(snapshot));
    expect(a.metrics).toEqual(b.metrics);
  });

  it('differs for another seed', () => {
    const a = record(generateDay(DEFAULT_DAY_INPUTS, 7, 3));
    const b = record(generateDay(DEFAULT_DAY_INPUTS, 8, 3));
    expect(a.run.days.map(snapshot)).not.toEqual(b.run.days.map(snapshot));
  });

  it.each([1, 2, 3, 42, 2024])('breaks no invariant with seed %i', (seed) => {
    const { run, metrics } = record(generateDay(DEFAULT_DAY_INPUTS, seed, 4));
    expect(run.invariants.problems).toEqual([]);
    expect(run.invariants.violations).toBe(0);
    expect(run.anomalies).toEqual([]);
    // The day really happened: patients were seen and nobody was left mid-visit.
    expect(metrics.tokens.byOutcome.COMPLETED).toBeGreaterThan(80);
    expect(metrics.tokens.byOutcome.CHECKED_IN + metrics.tokens.byOutcome.CALLED + metrics.tokens.byOutcome.ALLOCATED).toBe(0);
  });

  it('breaks no invariant under any compared policy, nor with delays that shift the day', () => {
    const plan = generateDay({ ...DEFAULT_DAY_INPUTS, lateDoctors: 3 }, 11, 3);
    const policies = [...comparedPolicies(DEFAULT_POLICY).map((p) => p.policy), mergePolicy(DEFAULT_POLICY, { delayMode: 'shift' })];
    for (const policy of policies) {
      const { run } = record(plan, policy);
      expect(run.invariants.violations, `${policy.preemption} aging ${policy.agingMinutes} ${policy.delayMode}`).toBe(0);
    }
  });

  it('exercises the engine: bumps, promotions, delays, no-shows of every kind and refusals', () => {
    const { metrics } = record(generateDay({ ...DEFAULT_DAY_INPUTS, lateDoctors: 2 }, 42, 10));
    expect(metrics.bumps.total).toBeGreaterThan(0);
    expect(metrics.promotions.total).toBeGreaterThan(0);
    expect(metrics.moves.total).toBeGreaterThan(0);
    expect(metrics.overflowSeats).toBeGreaterThan(0);
    expect(metrics.noShows.byStaff).toBeGreaterThan(0);
    expect(metrics.noShows.afterGrace).toBeGreaterThan(0);
    expect(metrics.skips).toBeGreaterThan(0);
    expect(metrics.refusals.byCode.DUPLICATE_TOKEN).toBeGreaterThan(0);
    expect(metrics.doctors.filter((d) => d.lateMinutes > 0)).toHaveLength(2);
  });
});
