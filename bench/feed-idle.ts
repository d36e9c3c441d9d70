// `DATABASE_URL=postgres://… node --import tsx bench/feed-idle.ts [feeds] [seconds]`: what open live feeds cost PostgreSQL, and
// how fast an event crosses from one server to another. Two real server processes (A and B) on a
// fresh database of their own; `feeds` (default 500) SSE streams open on B and left idle for `seconds`
// (default 10), counting the database's committed transactions (pg_stat_database.xact_commit of that
// database only); then 10 bookings on A, each timed from its request to the event on a feed of B.
// Only 127.0.0.1; bounded; the database is dropped afterwards.

import http from 'node:http';
import { createDatabase } from '../test/kits/pg-kit.ts';
import { expectStatus, sleep, startServer } from '../test/kits/process-kit.ts';

const FEEDS = Number(process.argv[2] ?? 500);
const SECONDS = Number(process.argv[3] ?? 10);
const DATE = '2026-03-10';

/** Opens an SSE stream; `onEvent` gets each `data:` line's JSON. */
function openFeed(base: string, onEvent: (e: { seq: number; type: string; tokenId?: string }) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/events`, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`feed answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (data) onEvent(JSON.parse(data.slice(6)));
        }
      });
      res.on('error', () => {});
      resolve(req);
    });
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL?.startsWith('postgres')) throw new Error('set DATABASE_URL=postgres://… (a server where this may create a database)');
  const db = await createDatabase('opd_feedbench');
  const env = { DATABASE_URL: db.url, OPD_CLOCK: 'manual', LOG_LEVEL: 'silent' };
  const servers = [await startServer(env, { name: 'A' }), await startServer(env, { name: 'B' })];
  const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const feeds: http.ClientRequest[] = [];
  try {
    for (const s of servers) await expectStatus(s, 'PUT', '/api/clock', { now: `${DATE}T08:00:00+05:30` }, 200);
    const doctor = await expectStatus(a, 'POST', '/api/doctors', { name: 'Dr Feed', department: 'General Medicine', code: 'FED' }, 201);
    await expectStatus(a, 'POST', '/api/slots', { doctorId: doctor.id, start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 100 }, 201);

    const seen = new Map<string, number>();
    for (let i = 0; i < FEEDS; i++) {
      feeds.push(
        await openFeed(b.url, (e) => {
          if (e.type === 'TokenIssued' && e.tokenId && !seen.has(e.tokenId)) seen.set(e.tokenId, performance.now());
        }),
      );
    }
    // An idle backend flushes its statistics up to 10 s late (PostgreSQL 15): wait until the opening
    // of the feeds is counted, then count in the steady state (late flushes at both ends cancel out).
    await sleep(12_000);
    const before = await db.commits();
    await sleep(SECONDS * 1000);
    const after = await db.commits();
    const idle = (after - before) / SECONDS;

    const delays: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const token = await expectStatus(a, 'POST', '/api/tokens', { doctorId: doctor.id, source: 'WALKIN', patient: { name: `P${i}` }, date: DATE }, 201);
      const t1 = performance.now();
      for (let waited = 0; !seen.has(token.id) && waited < 15_000; waited += 5) await sleep(5);
      delays.push((seen.get(token.id) ?? Number.NaN) - t0);
      answered.push(t1 - t0);
      await sleep(300);
    }
    delays.sort((x, y) => x - y);
    console.log(`${FEEDS} idle feeds on B for ${SECONDS} s: ${idle.toFixed(1)} database transactions/s`);
    console.log(`booking on A → event on a feed of B: median ${delays[5]!.toFixed(0)} ms, max ${delays[9]!.toFixed(0)} ms (${delays.map((d) => d.toFixed(0)).join(', ')}); the booking's own answer took median ${answered.sort((x, y) => x - y)[5]!.toFixed(0)} ms`);
  } finally {
    for (const f of feeds) f.destroy();
    await Promise.all(servers.map((s) => s.stop()));
    await db.drop();
  }
}

await main();
