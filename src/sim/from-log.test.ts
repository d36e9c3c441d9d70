import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type DoctorDayEvent, type Policy } from '../engine/index.ts';
import { Desk, at } from '../../test/kits/engine/test-kit.ts';
import { summarizeDay } from '../reports/day-summary.ts';
import { SMALL_DAY, smallDayLog } from '../../test/kits/reports/small-day.ts';
import { replayDay } from './from-log.ts';
import { whatIfDay } from './what-if.ts';
import { DEFAULT_DAY_INPUTS } from './generated-day.ts';
import { generateDay } from './generated-day.ts';
import { runDay } from './runner.ts';

const init = { doctorId: 'doc-1', date: '2026-01-05', code: 'GM' };
const withPreemption = (preemption: Policy['preemption']): Policy => ({ ...DEFAULT_POLICY, preemption });

/** The small day as the service logs it: the policy in force recorded first. */
function loggedSmallDay(): DoctorDayEvent[] {
  const desk = new Desk();
  desk.ok({ type: 'tick' }, '06:59');
  for (const [time, command] of SMALL_DAY) desk.ok(command, time);
  return desk.log;
}

describe('what if: a logged day replayed under a policy', () => {
  it('under the policy it had, the small day is written again event for event', () => {
    const log = loggedSmallDay();
    expect(log[0]!.type).toBe('PolicyChanged');
    const { events, skipped } = replayDay(init, log, { fallbackPolicy: DEFAULT_POLICY });
    expect(events).toEqual(log);
    expect(skipped).toEqual([]);
  });

  it('under the policy it had, generated days of many doctors are written again event for event', () => {
    const inputs = { ...DEFAULT_DAY_INPUTS, sessions: DEFAULT_DAY_INPUTS.sessions.map((s) => ({ ...s })), lateDoctors: 2 };
    for (const preemption of ['strict-priority', 'emergency-only'] as const) {
      const plan = generateDay(inputs, 7, 6);
      const logs = plan.doctors.map(() => [] as DoctorDayEvent[]);
      runDay(plan, { policy: withPreemption(preemption), observers: [{ onCommand: (r) => void logs[r.doctor]!.push(...r.outcome.events) }] });
      plan.doctors.forEach((d, i) => {
        const log = logs[i]!;
        expect(log.length).toBeGreaterThan(50);
        const { events } = replayDay({ doctorId: d.doctor.id, date: plan.date, code: d.doctor.code }, log, { fallbackPolicy: DEFAULT_POLICY, settle: false });
        expect(events, `${d.doctor.code} under ${preemption}`).toEqual(log);
      });
    }
  });

  it('property: any generated day, under any rule, is written again event for event by a faithful replay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('strict-priority', 'emergency-only', 'off'), fc.integer({ min: 0, max: 2 }), (seed, preemption, lateDoctors) => {
        const inputs = { ...DEFAULT_DAY_INPUTS, sessions: DEFAULT_DAY_INPUTS.sessions.map((s) => ({ ...s })), lateDoctors };
        const plan = generateDay(inputs, seed, 2);
        const logs = plan.doctors.map(() => [] as DoctorDayEvent[]);
        runDay(plan, { policy: withPreemption(preemption), observers: [{ onCommand: (r) => void logs[r.doctor]!.push(...r.outcome.events) }] });
        plan.doctors.forEach((d, i) => {
          const { events } = replayDay({ doctorId: d.doctor.id, date: plan.date, code: d.doctor.code }, logs[i]!, { fallbackPolicy: DEFAULT_POLICY, settle: false });
          expect(events).toEqual(logs[i]);
        });
      }),
      { numRuns: 8 },
    );
  });

  it('under emergency-only, the paid patient of 08:10 bumps nobody and is turned away: worked by hand', () => {
    // The small day (small-day.ts) under emergency-only, by hand:
    //   08:10 C (paid, for s1) finds s1 full (A, B) and may not bump: C waits for s1. 08:20 D, 08:25 F → s2.
    //   08:30 E (walk-in) → s2 (3 of 3). 08:40 D cancels: a seat in s2, but C waits for s1 only: nobody promoted.
    //   09:00 A checks in; 09:02 C comes but has no seat. 09:05 call → A (wait 5); 09:20 done.
    //   09:21 call: nobody here. 10:00 s1 ends: C expires (turned away). 10:00 B checks in, 10:04 E.
    //   10:10 call → B (s1 before s2; wait 10); 10:30 done. 10:31 call → E (wait 27); 11:20 done. F: no-show.
    //   The doctor's 09:40 "done" has nobody to finish (A was done at 09:20).
    const real = loggedSmallDay();
    const { events, skipped } = replayDay(init, real, { policy: withPreemption('emergency-only'), fallbackPolicy: DEFAULT_POLICY });
    const s = summarizeDay(events);
    expect(s.tokens).toEqual({ PAID: { expired: 1 }, ONLINE: { seen: 1, cancelled: 1, noShow: 1 }, WALKIN: { seen: 2 } });
    expect(s.waits).toEqual({ ONLINE: [5 * 60], WALKIN: [10 * 60, 27 * 60] });
    expect([s.bumped, s.promoted, s.moved]).toEqual([0, 0, 0]);
    expect([s.firstCall, s.lastPatient, s.overtimeMs]).toEqual([at('09:05'), at('11:20'), 20 * 60_000]);
    expect(skipped).toEqual(['GM-001: the doctor finished with this patient — not possible in the replayed day']);
    // what really happened: C was seen, B was bumped
    expect(summarizeDay(real)).toMatchObject({ bumped: 1, tokens: { PAID: { seen: 1 } } });
  });

  it('keeps what people did: arrivals, sources and who came are those of the log', () => {
    const real = smallDayLog();
    const { events } = replayDay(init, real, { policy: withPreemption('off'), fallbackPolicy: DEFAULT_POLICY });
    const issued = (log: DoctorDayEvent[]) => log.filter((e) => e.type === 'TokenIssued').map((e) => [e.at, e.tokenId, e.source]);
    expect(issued(events)).toEqual(issued(real));
    const cameAt = (log: DoctorDayEvent[]) => log.filter((e) => e.type === 'TokenCheckedIn').map((e) => [e.at, e.tokenId]);
    // C came at 09:02 but never had a seat under "off" (it could not bump B): everyone else came when they did
    expect(cameAt(events)).toEqual(cameAt(real).filter(([, id]) => id !== 'C'));
  });
});

describe('what if: the tokens whose outcome changed', () => {
  it('the small day under emergency-only: the paid patient C (GM-003) is turned away instead of seen', () => {
    const day = whatIfDay(init, loggedSmallDay(), { preemption: 'emergency-only' }, DEFAULT_POLICY);
    expect(day.realPolicy.preemption).toBe('strict-priority');
    expect(day.policy).toEqual({ ...DEFAULT_POLICY, preemption: 'emergency-only' });
    expect(day.changes).toEqual([{ number: 'GM-003', source: 'PAID', real: 'seen', whatIf: 'expired' }]);
    expect(day.real.bumped).toBe(1);
    expect(day.whatIf.bumped).toBe(0);
  });

  it('under the same policy nothing changes', () => {
    const day = whatIfDay(init, loggedSmallDay(), {}, DEFAULT_POLICY);
    expect(day.changes).toEqual([]);
    expect(day.whatIf).toEqual(day.real);
  });
});
