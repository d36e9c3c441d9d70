// Backup under load: a real `opd serve` on an SQLite file takes bookings over HTTP while desks check
// patients in, call and skip them, and `opd backup` copies the database in the middle of it. The copy
// is put into a new data folder with `opd restore`; `opd check` and a replay prove that every
// doctor-day in it is sound and its rows are what its log says, that every booking answered 201
// before the backup began is in it, and that it holds nothing the server had not committed (every
// token in it was answered). A restore over the running server's database is refused; a server
// started on the restored copy goes on from the copy's last number.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkStore } from '../src/service/day-check.ts';
import { openStore } from '../src/store/open-store.ts';
import { patience, REQUEST_MS } from './kits/patience.ts';
import { expectStatus, http, runOpd, sleep, startServer, type ServerProcess } from './kits/process-kit.ts';

const DATE = '2026-03-10';
const at = (hhmm: string) => `${DATE}T${hhmm}:00+05:30`;
const SLOTS = [
  { start: at('09:00'), end: at('10:00'), capacity: 3 },
  { start: at('10:00'), end: at('11:00'), capacity: 20 },
  { start: at('11:00'), end: at('12:00'), capacity: 3 },
  { start: at('12:00'), end: at('13:00'), capacity: 40 },
];
const CODES = ['BKA', 'BKB', 'BKC'];
/** Bookings answered before the backup starts. */
const BEFORE_BACKUP = 120;
/** The load stops by itself here, whatever happens to the backup. */
const MAX_BOOKINGS = 1500;
const IN_FLIGHT = 6;
const SOURCES = ['EMERGENCY', 'PAID', 'FOLLOWUP', 'FOLLOWUP', 'ONLINE', 'ONLINE', 'ONLINE', 'WALKIN', 'WALKIN', 'WALKIN'];
/** Accepted answers of the desks' actions: done, or refused because the token moved on meanwhile. */
const DESK_OK: Record<string, number[]> = { 'check-in': [200, 409], 'call-next': [200, 404], skip: [200, 409], complete: [200, 409] };

interface Answered {
  id: string;
  number: string;
  doctor: number;
  /** performance.now() when the 201 arrived. */
  ackAt: number;
}

describe('opd backup under load, opd restore, opd check', () => {
  const root = mkdtempSync(join(tmpdir(), 'opd-backup-'));
  const live = join(root, 'live');
  const restored = join(root, 'restored');
  const backupFile = join(root, 'opd-backup.sqlite');
  const servers: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up a running server, and the restored copy is sound and holds every booking answered before', async () => {
    const server = await startServer({ OPD_DATA_DIR: live, OPD_CLOCK: 'manual' }, { name: 'live server' });
    servers.push(server);
    await expectStatus(server, 'PUT', '/api/clock', { now: at('08:00') }, 200);
    const doctors: string[] = [];
    const slotIds: string[][] = [];
    for (const code of CODES) {
      const d = await expectStatus(server, 'POST', '/api/doctors', { name: `Dr ${code}`, department: 'General Medicine', code }, 201);
      doctors.push(d.id);
      slotIds.push([]);
      for (const s of SLOTS) slotIds.at(-1)!.push((await expectStatus(server, 'POST', '/api/slots', { doctorId: d.id, ...s }, 201)).id);
    }

    const answered: Answered[] = [];
    const problems: string[] = [];
    let sent = 0;
    let stop = false;
    let deskActions = 0;
    const booker = async () => {
      while (!stop && problems.length === 0 && sent < MAX_BOOKINGS) {
        const n = sent++;
        const doctor = n % doctors.length;
        const body: Record<string, unknown> = { doctorId: doctors[doctor], source: SOURCES[n % SOURCES.length], patient: { name: `Patient ${n}`, id: `B-${n}` } };
        if (n % 3 === 1) Object.assign(body, { slotId: slotIds[doctor]![n % 4], flexible: n % 2 === 0 });
        const reply = await http(server.url, 'POST', '/api/tokens', body, REQUEST_MS, { 'idempotency-key': `backup-${n}` });
        if (reply.status !== 201) problems.push(`booking ${n}: ${reply.status} ${JSON.stringify(reply.body)}`);
        else answered.push({ id: reply.body.id, number: reply.body.number, doctor, ackAt: performance.now() });
      }
    };
    // A desk per doctor: checks a booked patient in, calls the next one, and skips or sees them.
    const desk = async (doctor: number) => {
      const act = async (what: string, path: string) => {
        const reply = await http(server.url, 'POST', path, {}, REQUEST_MS);
        if (!DESK_OK[what]!.includes(reply.status)) problems.push(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
        else deskActions++;
        return reply;
      };
      for (let round = 0; !stop && problems.length === 0; round++) {
        const mine = answered.filter((a) => a.doctor === doctor);
        if (mine.length > 0) {
          await act('check-in', `/api/tokens/${mine[(round * 7) % mine.length]!.id}/check-in`);
          const called = await act('call-next', `/api/doctors/${doctors[doctor]}/call-next`);
          if (called.status === 200) {
            const what = round % 3 === 0 ? 'complete' : 'skip';
            await act(what, `/api/tokens/${called.body.id}/${what}`);
          }
        }
        await sleep(15);
      }
    };
    const load = Promise.all([...Array.from({ length: IN_FLIGHT }, booker), ...doctors.map((_, i) => desk(i))]);

    while (answered.length < BEFORE_BACKUP && problems.length === 0 && sent < MAX_BOOKINGS) await sleep(10);
    const backupStart = performance.now();
    const answeredBefore = answered.filter((a) => a.ackAt < backupStart);
    const backup = await runOpd(['backup', backupFile], { OPD_DATA_DIR: live });
    const backupEnd = performance.now();
    // While the live server still runs: a restore over its database is refused, and changes nothing.
    const over = await runOpd(['restore', backupFile, '--force'], { OPD_DATA_DIR: live });
    stop = true;
    await load;
    expect(problems, server.output()).toEqual([]);
    expect(backup.stderr).toBe('');
    expect(backup.code, backup.stdout).toBe(0);
    expect(backup.stdout).toMatch(/^opd backup: .* → .*opd-backup\.sqlite: [\d.]+ MB, 3 doctors, 3 doctor-days, [\d,]+ tokens, .*; integrity ok; [\d.]+ s\n$/);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/opd restore: .*live\/opd\.sqlite is in use by another process: stop the server/);
    expect(existsSync(join(live, 'opd.sqlite'))).toBe(true);
    // It was under load: bookings were answered while the backup ran.
    const during = answered.filter((a) => a.ackAt >= backupStart && a.ackAt <= backupEnd).length;
    expect(during).toBeGreaterThan(0);

    const restore = await runOpd(['restore', backupFile], { OPD_DATA_DIR: restored });
    expect(restore.stderr).toBe('');
    expect(restore.code, restore.stdout).toBe(0);
    expect(restore.stdout).toMatch(/^opd restore: .* → .*restored\/opd\.sqlite: 3 doctors, 3 doctor-days/);
    const check = await runOpd(['check'], { OPD_DATA_DIR: restored });
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/^opd check: 3 doctor-days sound and as the event log says \([\d,]+ tokens, 12 slots, [\d,]+ events; [\d.]+ s\)\n$/);

    // The replay, in-process: sound, rows as the log says, every early booking in it, nothing unknown.
    const store = await openStore({ kind: 'sqlite', file: join(restored, 'opd.sqlite') }, { migrate: false });
    const inBackup = new Map<string, string>();
    let skipped = 0;
    try {
      const result = await checkStore(store, {
        timeZone: 'Asia/Kolkata',
        onDay: (d) => {
          for (const t of d.day?.tokens.values() ?? []) {
            inBackup.set(t.id, t.label);
            if (t.skips > 0) skipped++;
          }
        },
      });
      expect(result.failed).toEqual([]);
      expect(result.days).toBe(3);
    } finally {
      await store.close();
    }
    const missing = answeredBefore.filter((a) => inBackup.get(a.id) !== a.number);
    expect(missing, 'bookings answered 201 before the backup began, missing from it').toEqual([]);
    const answeredIds = new Set(answered.map((a) => a.id));
    expect([...inBackup.keys()].filter((id) => !answeredIds.has(id)), 'tokens in the backup that were never answered').toEqual([]);

    // A server on the restored copy goes on from the copy's last number.
    const again = await startServer({ OPD_DATA_DIR: restored, OPD_CLOCK: 'manual' }, { name: 'restored server' });
    servers.push(again);
    await expectStatus(again, 'PUT', '/api/clock', { now: at('08:00') }, 200);
    const last = Math.max(...[...inBackup.values()].filter((l) => l.startsWith('BKA-')).map((l) => Number(l.slice(4))));
    const next = await expectStatus(again, 'POST', '/api/tokens', { doctorId: doctors[0], source: 'WALKIN', patient: { name: 'After the restore' } }, 201);
    expect(next.number).toBe(`BKA-${String(last + 1).padStart(3, '0')}`);

    console.log(
      `backup under load: ${answeredBefore.length} bookings answered before it, ${during} while it ran (${backup.ms} ms including start-up), ` +
        `${answered.length} in all, ${deskActions} desk actions; the backup holds ${inBackup.size} tokens (${skipped} skipped at least once), ` +
        `${(statSync(backupFile).size / 1024).toFixed(0)} KiB\n${backup.stdout}${check.stdout}`,
    );
    // Two server starts, three commands and the load: longer than most tests.
  }, patience(90_000));
});
