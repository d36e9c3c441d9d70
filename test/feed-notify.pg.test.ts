// Live feeds across servers on one PostgreSQL database: an event committed through one store wakes a
// feed on another at once (LISTEN/NOTIFY), even with the safety poll set to an hour; with its
// notification lost it still arrives, by the safety poll; and the listening connection comes back
// after it is killed, reading the log once it listens again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStoreOptions } from '../src/store/postgres/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { createTokenDesk } from '../src/service/token-desk.ts';
import type { FeedTiming } from '../src/service/feed-reader.ts';
import type { TokenDesk } from '../src/service/types.ts';
import { baseUrl, createDatabase, sql, type TestDatabase } from './kits/pg-kit.ts';
import { patience } from './kits/patience.ts';
import { sleep } from './kits/process-kit.ts';
import { ManualClock } from '../src/time/clock.ts';
import { AS_DESK } from './kits/service/test-kit.ts';

if (!baseUrl) console.log('PostgreSQL feed notification test skipped: set DATABASE_URL=postgres://… to run it');

const DATE = '2026-03-10';
/**
 * The safety poll of the feeds that must be woken by a notification: far longer than any wait here,
 * however far a loaded machine stretches them (test/kits/patience.ts), so only a notification can wake them in time.
 */
const SLOW: FeedTiming = { pollMs: 3_600_000, fastPollMs: 3_600_000 };

describe.skipIf(!baseUrl)('live feeds across servers on PostgreSQL', () => {
  let db: TestDatabase;
  const stores: Store[] = [];
  const desks: TokenDesk[] = [];
  let doctorId = '';

  const open = async (feed: FeedTiming, options: PostgresStoreOptions = {}) => {
    const store = openPostgresStore(db.url, options);
    stores.push(store);
    await store.migrate();
    const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(`${DATE}T08:00:00+05:30`)), feed });
    desks.push(desk);
    return desk;
  };
  const listeners = () =>
    sql(db.url, async (c) => (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'opd-listen'", [db.name])).rows[0]!.n);
  const until = async (what: () => Promise<boolean>, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await what()) return true;
    return false;
  };
  /** Waits as a feed does until the token's TokenIssued event is there; the time it took, or null. */
  const arrival = async (desk: TokenDesk, from: number, tokenId: () => string | undefined, ms: number): Promise<number | null> => {
    const start = Date.now();
    let last = from;
    while (Date.now() - start < ms) {
      const page = await desk.eventsAfter(last, 500);
      if (page.some((e) => e.type === 'TokenIssued' && e.tokenId === tokenId())) return Date.now() - start;
      if (page.length > 0) last = page.at(-1)!.seq;
      else await desk.waitForEvents(last, 500);
    }
    return null;
  };
  const book = (desk: TokenDesk, name: string) => desk.issueToken({ doctorId, source: 'WALKIN', patient: { name }, date: DATE }, AS_DESK);

  beforeAll(async () => {
    db = await createDatabase('opd_feed');
  });

  afterAll(async () => {
    for (const d of desks) await d.close();
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it('wakes a feed on another server at once, by notification', async () => {
    const a = await open(SLOW);
    const b = await open(SLOW);
    doctorId = (await a.createDoctor({ name: 'Dr Notify', department: 'General Medicine' }, AS_DESK)).id;
    // (a doctor-day with no slot takes no token)
    await a.createSlot({ doctorId, start: `${DATE}T09:00:00+05:30`, end: `${DATE}T12:00:00+05:30`, capacity: 50 }, AS_DESK);
    const from = await b.latestSeq();
    // The feed waits first: that opens B's listening connection.
    const want: { id?: string } = {};
    const waiting = arrival(b, from, () => want.id, patience(20_000));
    expect(await until(async () => (await listeners()) >= 1, patience(10_000))).toBe(true);
    await sleep(100);
    want.id = (await book(a, 'Notified')).id;
    const ms = await waiting;
    console.log(`event committed through store A reached a feed on store B in ${ms} ms`);
    expect(ms).not.toBeNull();
  });

  it('still delivers an event whose notification was lost, by the safety poll', async () => {
    // A writer on another channel: its notifications reach nobody here.
    const mute = await open(SLOW, { channel: 'opd_events_nobody' });
    const b = await open({ pollMs: 1_000, fastPollMs: 1_000 });
    const from = await b.latestSeq();
    const want: { id?: string } = {};
    const waiting = arrival(b, from, () => want.id, patience(30_000));
    expect(await until(async () => (await listeners()) >= 2, patience(10_000))).toBe(true);
    want.id = (await book(mute, 'Unannounced')).id;
    expect(await waiting).not.toBeNull();
  });

  it('listens again after its connection is killed, and reads what was committed meanwhile', async () => {
    const a = await open(SLOW);
    const b = await open(SLOW);
    const from = await b.latestSeq();
    const want: { id?: string } = {};
    const first = arrival(b, from, () => want.id, patience(20_000));
    // B of each test listens (a store listens once a feed of it has waited).
    expect(await until(async () => (await listeners()) >= 3, patience(10_000))).toBe(true);
    const listening = await listeners();
    // Only this test's database's listening connections: every store here reconnects.
    expect(await db.terminateBackends({ applicationName: 'opd-listen' })).toBeGreaterThan(0);
    want.id = (await book(a, 'While nobody listened')).id;
    expect(await first).not.toBeNull();
    // Listening again: the next event comes by notification, with the safety poll still an hour away.
    expect(await until(async () => (await listeners()) >= listening, patience(15_000))).toBe(true);
    const next = await b.latestSeq();
    const want2: { id?: string } = {};
    const second = arrival(b, next, () => want2.id, patience(20_000));
    await sleep(200);
    want2.id = (await book(a, 'After the reconnect')).id;
    expect(await second).not.toBeNull();
  });
});
