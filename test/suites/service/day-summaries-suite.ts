// The reports' summaries kept up to date as days close (desk-reports.ts, summary-job.ts), as a vitest
// suite run on both stores (day-summaries.test.ts, day-summaries.pg.test.ts): a closed doctor-day is
// summed without any report being asked, a day still open is not, a day that changes after its
// summary is summed again, a later report finds every day warm (it reads no log: counted on the
// store), and two servers summing at once store one summary of the whole day.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../src/access/types.ts';
import { SUMMARY_FORMAT, type DaySummary } from '../../../src/reports/day-summary.ts';
import type { Store } from '../../../src/store/store.ts';
import type { StoredDaySummary } from '../../../src/store/summary-repo.ts';
import { ManualClock } from '../../../src/time/clock.ts';
import { startDaySummaries } from '../../../src/service/summary-job.ts';
import { by } from '../../kits/service/test-kit.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import type { TokenDesk } from '../../../src/service/types.ts';

/**
 * A fresh database: its store, another store on the same database (a second server: PostgreSQL only,
 * one process owns an embedded SQLite file), and cleanup.
 */
export interface SummaryDatabase {
  store: Store;
  another?: () => Promise<Store>;
  close(): Promise<void>;
}

const ADMIN: Actor = Object.freeze({ kind: 'account', id: 'acc-admin', name: 'Priya', role: 'admin', doctorIds: 'all' });
const AS_ADMIN = by(ADMIN);
const DATE = '2026-03-10';
const at = (hhmm: string, date = DATE) => new Date(`${date}T${hhmm}:00+05:30`);

export function daySummariesSuite(name: string, open: () => Promise<SummaryDatabase>): void {
  describe(`summaries kept as days close: ${name}`, () => {
    let db: SummaryDatabase;
    let desk: TokenDesk;
    let clock: ManualClock;
    let morning: string;
    let afternoon: string;
    let late: string;
    const others: { desk: TokenDesk; store: Store }[] = [];

    beforeEach(async () => {
      db = await open();
      clock = new ManualClock(at('08:00'));
      desk = createTokenDesk({ store: db.store, timeZone: 'Asia/Kolkata', clock });
      // Dr Rao works 09:00–10:00, Dr Iyer 14:00–15:00 on 10 March.
      const rao = await desk.createDoctor({ name: 'Dr Rao', department: 'General medicine', code: 'GM' }, AS_ADMIN);
      const iyer = await desk.createDoctor({ name: 'Dr Iyer', department: 'Orthopaedics', code: 'OR' }, AS_ADMIN);
      morning = rao.id;
      afternoon = iyer.id;
      await desk.createSlot({ doctorId: rao.id, start: at('09:00').toISOString(), end: at('10:00').toISOString(), capacity: 4 }, AS_ADMIN);
      await desk.createSlot({ doctorId: iyer.id, start: at('14:00').toISOString(), end: at('15:00').toISOString(), capacity: 4 }, AS_ADMIN);
      // Two walk-ins for Dr Rao, both in at 09:00; the first called at 09:10, the second at 09:30,
      // who is still with the doctor when the slot ends (finished at 11:10, later in a test).
      const first = await desk.issueToken({ doctorId: rao.id, source: 'WALKIN', patient: { name: 'Asha' } }, AS_ADMIN);
      const second = await desk.issueToken({ doctorId: rao.id, source: 'WALKIN', patient: { name: 'Bala' } }, AS_ADMIN);
      await desk.setClock(at('09:00'));
      await desk.act(first.id, 'check-in', AS_ADMIN);
      await desk.act(second.id, 'check-in', AS_ADMIN);
      await desk.setClock(at('09:10'));
      await desk.callNext(rao.id, DATE, AS_ADMIN);
      await desk.setClock(at('09:20'));
      await desk.act(first.id, 'complete', AS_ADMIN);
      await desk.setClock(at('09:30'));
      await desk.callNext(rao.id, DATE, AS_ADMIN);
      late = second.id;
    });
    afterEach(async () => {
      for (const o of others.splice(0)) {
        await o.desk.close();
        await o.store.close();
      }
      await desk.close();
      await db.close();
    });

    const stored = async (date = DATE): Promise<Map<string, StoredDaySummary>> => new Map((await db.store.summaries.daysBetween(date, date)).map((d) => [d.doctorId, d]));
    const summaryOf = (d: StoredDaySummary | undefined): DaySummary => JSON.parse(d!.summary!.json) as DaySummary;

    it('a closed day is summed with no report asked; a day still open is not', async () => {
      // 11:05: Dr Rao's slot ended over an hour ago, Dr Iyer's has not begun.
      await desk.setClock(at('11:05'));
      expect(await desk.summarizeClosedDays()).toBe(1);
      const rows = await stored();
      const rao = rows.get(morning)!;
      expect(rao.summary).toMatchObject({ version: rao.dayVersion, format: SUMMARY_FORMAT });
      // Asha seen after 10 minutes; Bala called after 30 and not finished yet.
      expect(summaryOf(rao)).toMatchObject({ tokens: { WALKIN: { seen: 1, open: 1 } }, waits: { WALKIN: [600, 1800] } });
      expect(rows.get(afternoon)!.summary).toBeNull();
      // Nothing left to do until something changes.
      expect(await desk.summarizeClosedDays()).toBe(0);
    });

    it('a day that changes after its summary is summed again at the next run', async () => {
      await desk.setClock(at('11:05'));
      expect(await desk.summarizeClosedDays()).toBe(1);
      await desk.setClock(at('11:10'));
      await desk.act(late, 'complete', AS_ADMIN);
      const grown = (await stored()).get(morning)!;
      expect(grown.summary!.version).toBeLessThan(grown.dayVersion);
      expect(await desk.summarizeClosedDays()).toBe(1);
      const rao = (await stored()).get(morning)!;
      expect(rao.summary!.version).toBe(rao.dayVersion);
      expect(summaryOf(rao)).toMatchObject({ tokens: { WALKIN: { seen: 2 } }, overtimeMs: 70 * 60_000 });
    });

    it('the next morning every day of yesterday is summed, and a report of it reads no log', async () => {
      // Today (11 March) Dr Iyer has a slot ahead: that day is open.
      await desk.createSlot({ doctorId: afternoon, start: at('09:00', '2026-03-11').toISOString(), end: at('10:00', '2026-03-11').toISOString(), capacity: 2 }, AS_ADMIN);
      await desk.setClock(at('07:00', '2026-03-11'));
      expect(await desk.summarizeClosedDays()).toBe(2);
      expect((await stored('2026-03-11')).get(afternoon)!.summary).toBeNull();
      const logs = vi.spyOn(db.store.summaries, 'dayLogs');
      const report = await desk.report(DATE, DATE);
      expect(logs).not.toHaveBeenCalled();
      const rao = report.doctors.find((d) => d.key === morning)!;
      // Bala was never finished: still with the doctor (open), his wait counted at his call.
      expect(rao).toMatchObject({ tokens: 2, seen: 1, seatsOffered: 4, seatsUsed: 2 });
      expect(rao.waits.WALKIN).toEqual({ patients: 2, median: 20, p90: 30, longest: 30 });
      expect(report.doctors.find((d) => d.key === afternoon)).toMatchObject({ tokens: 0, seatsOffered: 4, seatsUsed: 0 });
      // The control: a report that covers today's open day has to read its log.
      await desk.report(DATE, '2026-03-11');
      expect(logs).toHaveBeenCalledTimes(1);
    });

    it('the job runs at start, by the desk clock, and stops', async () => {
      await desk.setClock(at('07:00', '2026-03-11'));
      const errors: unknown[] = [];
      const stop = startDaySummaries(desk, { everyMs: 60 * 60_000, onError: (err) => errors.push(err) });
      try {
        await vi.waitFor(async () => expect([...(await stored()).values()].map((d) => d.summary?.version === d.dayVersion)).toEqual([true, true]), { timeout: 20_000, interval: 20 });
      } finally {
        stop();
      }
      expect(errors).toEqual([]);
    });

    it.skipIf(name === 'SQLite')('two servers summing at once store one summary of the whole day; a newer format is left alone', async () => {
      const store = await db.another!();
      const second = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(at('07:00', '2026-03-11')) });
      others.push({ desk: second, store });
      await desk.setClock(at('07:00', '2026-03-11'));
      const [a, b] = await Promise.all([desk.summarizeClosedDays(), second.summarizeClosedDays()]);
      // Each summed what it found stale: both days, by one server or both.
      expect(a + b).toBeGreaterThanOrEqual(2);
      const rows = await stored();
      for (const d of rows.values()) expect(d.summary).toMatchObject({ version: d.dayVersion, format: SUMMARY_FORMAT });
      expect(summaryOf(rows.get(morning))).toMatchObject({ tokens: { WALKIN: { seen: 1, open: 1 } } });
      // A newer build's summary (a later format) is neither listed as stale nor replaced by this one's.
      const rao = rows.get(morning)!;
      await db.store.summaries.putSummaries([{ doctorId: morning, date: DATE, version: rao.dayVersion, format: SUMMARY_FORMAT + 1, json: '{"newer":true}' }]);
      expect(await db.store.summaries.staleDays(DATE, DATE, SUMMARY_FORMAT)).toEqual([]);
      await db.store.summaries.putSummaries([{ doctorId: morning, date: DATE, version: rao.dayVersion, format: SUMMARY_FORMAT, json: rao.summary!.json }]);
      expect((await stored()).get(morning)!.summary).toEqual({ version: rao.dayVersion, format: SUMMARY_FORMAT + 1, json: '{"newer":true}' });
    });
  });
}
