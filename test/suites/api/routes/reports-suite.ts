// GET /api/reports and GET /api/reports/what-if on one store: the small day of test/kits/reports/small-day.ts
// played through the API at the same hospital-local times, its figures worked out by hand; bad input
// is a 400 that writes nothing; the summary table is a cache the report rebuilds from the log.
// Run on both stores (reports.test.ts, reports.pg.test.ts).

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_FORMAT } from '../../../../src/reports/day-summary.ts';
import type { Store } from '../../../../src/store/store.ts';
import { at, call, harness, type Harness } from '../../../kits/api/test-kit.ts';

/** Sends one request as the admin: its status and JSON answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Send = (method: 'POST' | 'PUT', url: string, body?: unknown) => Promise<{ status: number; body: any }>;
export const injected = (sut: FastifyInstance): Send => (method, url, body) => call(sut, method, url, body);

let h: Harness;
let gm: string;
let orth: string;

/**
 * The small day (see test/kits/reports/small-day.ts), at the same times on 10 March 2026 (IST), then the
 * clock set to the next morning. Dr Rao (GM) has the day; Dr Iyer (OR) one empty slot.
 */
export async function playSmallDay(send: Send): Promise<{ gm: string; orth: string }> {
  const clock = (hhmm: string) => send('PUT', '/api/clock', { now: at(hhmm) });
  const ok = async (method: 'POST', url: string, body?: unknown) => {
    const answer = await send(method, url, body);
    expect(answer.status, `${url} ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  await clock('07:59');
  const gm = (await ok('POST', '/api/doctors', { name: 'Dr Rao', department: 'General medicine', code: 'GM' })).id as string;
  const orth = (await ok('POST', '/api/doctors', { name: 'Dr Iyer', department: 'Orthopaedics', code: 'OR' })).id as string;
  const s1 = (await ok('POST', '/api/slots', { doctorId: gm, start: at('09:00'), end: at('10:00'), capacity: 2 })).id;
  const s2 = (await ok('POST', '/api/slots', { doctorId: gm, start: at('10:00'), end: at('11:00'), capacity: 3 })).id;
  await ok('POST', '/api/slots', { doctorId: orth, start: at('09:00'), end: at('10:00'), capacity: 4 });
  const issue = async (time: string, name: string, source: string, slotId?: string) => {
    await clock(time);
    return (await ok('POST', '/api/tokens', { doctorId: gm, source, patient: { name }, ...(slotId ? { slotId } : {}) })).id as string;
  };
  const A = await issue('08:00', 'Asha', 'ONLINE', s1);
  const B = await issue('08:05', 'Bala', 'WALKIN');
  const C = await issue('08:10', 'Chitra', 'PAID', s1);
  const D = await issue('08:20', 'Dev', 'ONLINE', s2);
  await issue('08:25', 'Farah', 'ONLINE', s2);
  const E = await issue('08:30', 'Esha', 'WALKIN');
  const act = async (time: string, url: string) => {
    await clock(time);
    await ok('POST', url);
  };
  await act('08:40', `/api/tokens/${D}/cancel`);
  await act('09:00', `/api/tokens/${A}/check-in`);
  await act('09:02', `/api/tokens/${C}/check-in`);
  await act('09:05', `/api/doctors/${gm}/call-next`);
  await act('09:20', `/api/tokens/${C}/complete`);
  await act('09:21', `/api/doctors/${gm}/call-next`);
  await act('09:40', `/api/tokens/${A}/complete`);
  await act('10:00', `/api/tokens/${B}/check-in`);
  await act('10:04', `/api/tokens/${E}/check-in`);
  await act('10:10', `/api/doctors/${gm}/call-next`);
  await act('10:30', `/api/tokens/${B}/complete`);
  await act('10:31', `/api/doctors/${gm}/call-next`);
  await act('11:20', `/api/tokens/${E}/complete`);
  // The next morning: the day is over, and a what-if may replay it.
  await clock('23:59');
  await send('PUT', '/api/clock', { now: '2026-03-11T08:00:00+05:30' });
  return { gm, orth };
}

export function reportsSuite(name: string, open?: () => Promise<Store>): void {
  describe(`reports of the real days (${name})`, () => {
    beforeAll(async () => {
      h = await harness(open ? { store: open } : {});
      ({ gm, orth } = await playSmallDay(injected(h.sut)));
    });
    afterAll(async () => {
      await h.close();
    });

    it('the small day, per doctor: tokens, rates, waits, overtime, seats, bumps (worked by hand)', async () => {
      const res = await call(h.sut, 'GET', '/api/reports?from=2026-03-10');
      expect(res.status).toBe(200);
      const rao = res.body.doctors.find((d: { key: string }) => d.key === gm);
      expect(rao).toMatchObject({ label: 'Dr Rao', department: 'General medicine', days: 1, tokens: 6, seen: 4, noShows: 1, cancelled: 1, noShowRate: 0.167, cancellationRate: 0.167 });
      expect(rao.bySource.ONLINE).toEqual({ seen: 1, noShow: 1, cancelled: 1, expired: 0, open: 0 });
      expect(rao.bySource.WALKIN).toEqual({ seen: 2, noShow: 0, cancelled: 0, expired: 0, open: 0 });
      // waits 3 (C), 10 (B), 21 (A), 27 (E) minutes
      expect(rao.waits.ALL).toEqual({ patients: 4, median: 15.5, p90: 27, longest: 27 });
      expect(rao.waits.PAID).toEqual({ patients: 1, median: 3, p90: 3, longest: 3 });
      expect(rao).toMatchObject({ overtimeMinutes: 20, overtimeDays: 1, seatsOffered: 5, seatsUsed: 4, bumped: 1, moved: 0, promoted: 1 });
      expect(res.body.doctorDays.find((d: { doctorId: string }) => d.doctorId === gm)).toMatchObject({ date: '2026-03-10', firstCall: '09:05', lastPatient: '11:20', lastSlotEnd: '11:00', overtimeMinutes: 20 });
      // Dr Iyer's empty morning: 4 seats offered, none used, nobody waited
      const iyer = res.body.doctors.find((d: { key: string }) => d.key === orth);
      expect(iyer).toMatchObject({ tokens: 0, seatsOffered: 4, seatsUsed: 0, noShowRate: 0 });
      expect(res.body.departments.map((d: { label: string; tokens: number }) => [d.label, d.tokens])).toEqual([
        ['General medicine', 6],
        ['Orthopaedics', 0],
      ]);
      expect(res.body.hospital).toMatchObject({ days: 2, tokens: 6, seatsOffered: 9 });
      expect(res.body.slotHours).toEqual([
        { department: 'General medicine', hours: '09:00–10:00', slots: 1, seatsOffered: 2, seatsUsed: 2 },
        { department: 'General medicine', hours: '10:00–11:00', slots: 1, seatsOffered: 3, seatsUsed: 2 },
        { department: 'Orthopaedics', hours: '09:00–10:00', slots: 1, seatsOffered: 4, seatsUsed: 0 },
      ]);
    });

    it('names no patient: the report holds no name', async () => {
      // (Gita is issued on 11 March by the next test; this range is read before.)
      const res = await call(h.sut, 'GET', '/api/reports?from=2026-03-01&to=2026-03-31');
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/Asha|Bala|Chitra|Dev"|Esha|Farah/);
    });

    it('a range outside the days: empty tables; the summary table is a cache rebuilt from the log', async () => {
      const empty = await call(h.sut, 'GET', '/api/reports?from=2026-02-01&to=2026-02-28');
      expect(empty.body).toMatchObject({ doctors: [], departments: [], doctorDays: [], hospital: { tokens: 0, days: 0 } });
      // A day that grows after its summary was stored is summed again: today, 11 March, at 08:00.
      const slot = await call(h.sut, 'POST', '/api/slots', { doctorId: orth, start: '2026-03-11T09:00:00+05:30', end: '2026-03-11T10:00:00+05:30', capacity: 4 });
      const today = () => call(h.sut, 'GET', '/api/reports?from=2026-03-11');
      const day = async () => (await h.store.summaries.daysBetween('2026-03-11', '2026-03-11'))[0]!;
      // A summary of an older format (an older build's) is replaced at the next report.
      const unsummed = await day();
      expect(unsummed.summary).toBeNull();
      await h.store.summaries.putSummaries([{ doctorId: orth, date: '2026-03-11', version: unsummed.dayVersion, format: SUMMARY_FORMAT - 1, json: '{}' }]);
      expect((await today()).body.hospital).toMatchObject({ tokens: 0, seatsOffered: 4 });
      expect((await day()).summary).toMatchObject({ version: unsummed.dayVersion, format: SUMMARY_FORMAT });
      await call(h.sut, 'POST', '/api/tokens', { doctorId: orth, source: 'WALKIN', patient: { name: 'Gita' }, slotId: slot.body.id });
      expect((await today()).body.hospital).toMatchObject({ tokens: 1, seatsOffered: 4, seatsUsed: 1 });
      const stored = await day();
      expect(stored.summary!.version).toBe(stored.dayVersion);
      expect(stored.dayVersion).toBeGreaterThan(unsummed.dayVersion);
      // An older version never replaces a newer one (two servers summing at once).
      await h.store.summaries.putSummaries([{ doctorId: orth, date: '2026-03-11', version: stored.dayVersion - 1, format: SUMMARY_FORMAT, json: '{}' }]);
      expect((await day()).summary!.json).not.toBe('{}');
    });

    it('bad input is a 400 problem and writes nothing', async () => {
      const before = await h.desk.latestSeq();
      for (const url of [
        '/api/reports',
        '/api/reports?from=2026-13-01',
        '/api/reports?from=2026-03-10&to=2026-03-09',
        '/api/reports?from=2025-01-01&to=2026-03-10',
        '/api/reports?from=2026-03-10&extra=1',
        '/api/reports/what-if?date=2026-03-10',
        '/api/reports/what-if?date=2026-03-10&policy=nobody',
        '/api/reports/what-if?date=2026-03-11&policy=off',
      ]) {
        const res = await call(h.sut, 'GET', url);
        expect(res.status, url).toBe(400);
        expect(res.headers['content-type'], url).toContain('application/problem+json');
        expect(res.body.code, url).toBe('VALIDATION_FAILED');
      }
      const unknown = await call(h.sut, 'GET', '/api/reports/what-if?date=2026-03-10&policy=off&doctors=nobody');
      expect(unknown.status).toBe(404);
      expect(await h.desk.latestSeq()).toBe(before);
    });

    it('what if emergency-only on 10 March: the paid patient GM-003 is turned away and nobody is bumped (worked by hand)', async () => {
      const res = await call(h.sut, 'GET', `/api/reports/what-if?date=2026-03-10&policy=emergency-only&doctors=${gm}`);
      expect(res.status).toBe(200);
      expect(res.body.realPolicy.preemption).toBe('strict-priority');
      expect(res.body.policy.preemption).toBe('emergency-only');
      expect(res.body.doctors).toEqual([
        {
          doctorId: gm,
          doctor: 'Dr Rao',
          changes: [{ number: 'GM-003', source: 'PAID', real: 'seen', whatIf: 'expired' }],
          skipped: ['GM-001: the doctor finished with this patient — not possible in the replayed day'],
        },
      ]);
      expect(res.body.real.hospital).toMatchObject({ seen: 4, bumped: 1, promoted: 1 });
      expect(res.body.whatIf.hospital).toMatchObject({ seen: 3, bumped: 0, promoted: 0 });
      // waits: A 5 min, B 10, E 27
      expect(res.body.whatIf.hospital.waits.ALL).toEqual({ patients: 3, median: 10, p90: 27, longest: 27 });
    });

    it('what if the rule the day had: the day the service logged comes out the same', async () => {
      const res = await call(h.sut, 'GET', '/api/reports/what-if?date=2026-03-10&policy=strict-priority');
      expect(res.status).toBe(200);
      expect(res.body.doctors.map((d: { changes: unknown[]; skipped: unknown[] }) => [d.changes, d.skipped])).toEqual([
        [[], []],
        [[], []],
      ]);
      expect(res.body.whatIf).toEqual(res.body.real);
    });
  });
}
