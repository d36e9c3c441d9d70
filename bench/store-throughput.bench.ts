// How many durable transactions per second a store takes, on this machine.
//   node --import tsx bench/store-throughput.bench.ts [postgres://…] [seconds per case]
// Without a URL only SQLite runs. Each case runs for a fixed time: first one transaction at a time
// (the latency floor: one fsync each), then many in flight across doctor-days (what group commit in
// SQLite, and concurrent commits in PostgreSQL, make of it). "booking" is shaped like the service's
// issueToken: idempotency check, lock, catch-up read, 3 events, all 8 slot rows of the day, 1 token
// row, idempotency record.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorDayEvent } from '../src/engine/index.ts';
import { openPostgresStore } from '../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { DayKey, SlotRow, Store, TokenRow } from '../src/store/store.ts';

const url = process.argv.find((a) => a.startsWith('postgres'));
const seconds = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 3);
const DOCTORS = 200;

type Shape = 'single-event' | 'booking';
let counter = 0;

async function setUp(store: Store): Promise<DayKey[]> {
  await store.migrate();
  const keys: DayKey[] = [];
  await store.transaction(async (tx) => {
    for (let d = 0; d < DOCTORS; d++) {
      const id = `doc-${d}`;
      await tx.insertDoctor({ id, name: id, department: 'GM', room: null, code: `D${d}`, policy: {}, createdAt: '2026-01-01T00:00:00.000Z' });
      keys.push({ doctorId: id, date: '2026-01-05' });
    }
  });
  return keys;
}

async function one(store: Store, key: DayKey, shape: Shape): Promise<void> {
  const n = ++counter;
  const tokenId = `t${n}`;
  const events: DoctorDayEvent[] =
    shape === 'single-event'
      ? [{ type: 'TokenCheckedIn', tokenId, at: n }]
      : [
          { type: 'TokenIssued', tokenId, number: n, label: `GM-${n}`, source: 'WALKIN', patientKey: 'k98450', request: { slotId: null, flexible: false }, at: n },
          { type: 'TokenAllocated', tokenId, slotId: `${key.doctorId}-s0`, reason: 'free-seat', at: n },
          { type: 'TokenAged', tokenId, effectiveRank: 3, at: n },
        ];
  const slots: SlotRow[] =
    shape === 'single-event' ? [] : Array.from({ length: 8 }, (_, i) => ({ ...key, id: `${key.doctorId}-s${i}`, start: i, end: i + 1, capacity: 20, occupied: n % 20 }));
  const tokens: TokenRow[] = [
    { ...key, id: tokenId, number: `GM-${n}`, slotId: null, source: 'WALKIN', status: 'CHECKED_IN', issuedAt: n, bumps: 0, skips: 0 },
  ];
  const idem = shape === 'booking' ? `idem-${n}` : undefined;
  await store.transaction(async (tx) => {
    if (idem) await tx.getIdempotency(idem);
    const version = await tx.lockDay(key);
    await tx.dayEvents(key, version);
    await tx.append(key, events, slots, shape === 'booking' ? tokens : []);
    if (idem) await tx.putIdempotency({ key: idem, requestHash: 'h', response: '{"ok":true}', createdAt: 'now' });
  }, idem);
}

async function measure(store: Store, keys: DayKey[], shape: Shape, inFlight: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const lane = async (lane: number) => {
    for (let i = lane; performance.now() < until; i += inFlight) {
      await one(store, keys[i % keys.length]!, shape);
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, (_, i) => lane(i)));
  return done / ((performance.now() - start) / 1000);
}

async function report(name: string, open: () => Promise<{ store: Store; cleanUp: () => Promise<void> }>, inFlights: number[]) {
  for (const shape of ['single-event', 'booking'] as const) {
    for (const inFlight of inFlights) {
      const { store, cleanUp } = await open();
      const keys = await setUp(store);
      const commitsBefore = 'commits' in store ? (store.commits as number) : 0;
      const rate = await measure(store, keys, shape, inFlight);
      const commits = 'commits' in store ? ` (${(((store.commits as number) - commitsBefore) / seconds).toFixed(0)} commits/s)` : '';
      console.log(`${name.padEnd(34)} ${shape.padEnd(12)} in flight ${String(inFlight).padStart(3)}: ${rate.toFixed(0).padStart(6)} tx/s${commits}`);
      await store.close();
      await cleanUp();
    }
  }
}

const sqlite = (maxGroup: number) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-bench-'));
  return { store: openSqliteStore(join(dir, 'opd.sqlite'), { maxGroup }) as Store, cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
};

await report('SQLite file, synchronous=FULL', sqlite(64), [1, 64]);
await report('SQLite file, FULL, no group commit', sqlite(1), [64]);
if (url) {
  const pg = await import('pg');
  let n = 0;
  await report('PostgreSQL, pool 20', async () => {
    const schema = `opd_bench_${process.pid}_${++n}`;
    return {
      store: openPostgresStore(url, { schema, max: 20 }),
      cleanUp: async () => {
        const client = new pg.default.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      },
    };
  }, [1, 20, 64]);
}
