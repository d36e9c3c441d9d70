// With OPD_CLOCK=manual the clock moves only by PUT /api/clock, also across a restart: the server
// resumes at the latest event's time. (It once restarted at the system time, and one request served
// before the clock was set again moved the doctor-day's own clock, which never runs backwards, for good.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { expectStatus, http, startServer } from './kits/process-kit.ts';

const T0 = '2026-03-10T08:00:00+05:30';

it('a manual clock keeps its time across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-clock-'));
  const env = { OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' };
  let s = await startServer(env);
  try {
    await expectStatus(s, 'PUT', '/api/clock', { now: T0 }, 200);
    const d = await expectStatus(s, 'POST', '/api/doctors', { name: 'Dr Clock', department: 'GM', code: 'CLK' }, 201);
    const slot = await expectStatus(s, 'POST', '/api/slots', { doctorId: d.id, start: '2026-03-10T10:00:00+05:30', end: '2026-03-10T11:00:00+05:30', capacity: 5 }, 201);
    const a = await expectStatus(s, 'POST', '/api/tokens', { doctorId: d.id, source: 'ONLINE', patient: { name: 'A', id: 'A' }, slotId: slot.id }, 201);
    await s.stop();

    s = await startServer(env);
    const clockAfterRestart = (await expectStatus(s, 'GET', '/healthz', undefined, 200)).now;
    // The desk checks A in before anyone has set the clock again…
    await expectStatus(s, 'POST', `/api/tokens/${a.id}/check-in`, {}, 200);
    // …then the drill goes on at 08:00, where it was.
    await expectStatus(s, 'PUT', '/api/clock', { now: T0 }, 200);
    const b = await http(s.url, 'POST', '/api/tokens', { doctorId: d.id, source: 'ONLINE', patient: { name: 'B', id: 'B' }, slotId: slot.id });
    expect(new Date(clockAfterRestart).toISOString()).toBe(new Date(T0).toISOString());
    expect(b.status).toBe(201);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
