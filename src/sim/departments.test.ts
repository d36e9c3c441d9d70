import { describe, expect, it } from 'vitest';
import type { DoctorDay, Token } from '../engine/index.ts';
import { departmentSummaries } from './departments.ts';
import type { DoctorSummary } from './metrics.ts';

const doctor = (code: string, department: string, over: Partial<DoctorSummary>): DoctorSummary => ({
  id: code,
  code,
  name: `Dr. ${code}`,
  department,
  lateMinutes: 0,
  startedCallingAt: null,
  lastCompletedAt: null,
  overtimeMinutes: 0,
  tokens: 0,
  completed: 0,
  slots: [],
  ...over,
});
/** A doctor-day holding tokens of these statuses (all the summary reads of it). */
const day = (...statuses: Token['status'][]) => ({ tokens: new Map(statuses.map((status, i) => [String(i), { status } as Token])) }) as unknown as DoctorDay;

describe('the day by department', () => {
  it('adds up each department of doctors, in the order the departments first appear', () => {
    const doctors = [
      doctor('GM', 'General Medicine', { tokens: 5, completed: 3, overtimeMinutes: 12 }),
      doctor('OR', 'Orthopedics', { tokens: 2, completed: 2, lateMinutes: 30 }),
      doctor('GMA', 'General Medicine', { tokens: 4, completed: 2, overtimeMinutes: 5 }),
    ];
    const days = [day('COMPLETED', 'COMPLETED', 'COMPLETED', 'NO_SHOW', 'EXPIRED'), day('COMPLETED', 'COMPLETED'), day('COMPLETED', 'COMPLETED', 'NO_SHOW', 'CANCELLED')];
    const waits = [
      [
        { source: 'WALKIN' as const, minutes: 40 },
        { source: 'ONLINE' as const, minutes: 10 },
      ],
      [{ source: 'WALKIN' as const, minutes: 7 }],
      [
        { source: 'WALKIN' as const, minutes: 20 },
        { source: 'PAID' as const, minutes: 2 },
      ],
    ];
    const [gm, or] = departmentSummaries(doctors, days, waits);
    // General Medicine: GM and GMA. Waits 40, 10, 20, 2 → sorted 2, 10, 20, 40: median (10+20)/2 = 15,
    // p90 nearest rank ⌈0.9·4⌉ = 4th = 40; walk-ins 40 and 20: median 30.
    expect(gm).toMatchObject({ department: 'General Medicine', doctors: 2, lateDoctors: 0, tokens: 9, seen: 5, noShows: 2, expired: 1, overtimeMaxMinutes: 12 });
    expect(gm!.waits).toMatchObject({ count: 4, medianMinutes: 15, p90Minutes: 40, maxMinutes: 40 });
    expect(gm!.walkInWaits).toMatchObject({ count: 2, medianMinutes: 30 });
    expect(or).toMatchObject({ department: 'Orthopedics', doctors: 1, lateDoctors: 1, tokens: 2, seen: 2, noShows: 0, expired: 0, overtimeMaxMinutes: 0 });
  });
});
