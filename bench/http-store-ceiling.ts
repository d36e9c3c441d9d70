// The storage ceiling under the HTTP numbers: booking-shaped transactions straight on the SQLite store
// (no HTTP, no engine), on a fresh file with WAL and synchronous=FULL, for a fixed time each:
//   node --import tsx bench/http-store-ceiling.ts SECONDS [idempotency]
// (CEILING_ONLY=64x50 runs only the case of that maxGroup and in-flight count; CEILING_ONLY=disk only the disk's.)
//   node --import tsx bench/http-store-ceiling.ts BOOKINGS split
// instead asks whether a writer thread would pay: the main thread's CPU per booking for its reads
// alone (lock, catch-up, doctor), for its reads and writes (as the store runs them today, on a file
// without fsync so that only the statements count), and for handing the same rows to a worker thread
// (postMessage of the rows and their JSON payloads: what the main thread would still pay).
// prints one JSON line per case. A booking is shaped like the desk's issueToken: (idempotency check,)
// lock the doctor-day, catch-up read, 3 events, the day's 8 slot rows, 1 token row(, idempotency
// record). Cases: one commit per booking (maxGroup 1) with 1 and 50 in flight, group commit (the
// store's default maxGroup) with 50 and 1 in flight, and the disk's own ceiling: one-row SQLite
// commits (WAL, synchronous=FULL) straight on better-sqlite3, one after the other.
// Each line also carries the CPU per booking: of the main thread (the event loop, from
// /proc/self/task/PID/stat) and of the whole process (process.cpuUsage: every thread, libuv's pool
// included), in microseconds.

import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DoctorDayEvent } from '../src/engine/index.ts';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { DayKey, SlotRow, TokenRow } from '../src/store/store.ts';

const seconds = Number(process.argv[2] ?? 3);
const idempotency = process.argv.includes('idempotency');
const DOCTOR_DAYS = 400;

export interface CeilingCase {
  name: string;
  maxGroup: number;
  inFlight: number;
  perSecond: number;
  commitsPerSecond: number;
  /** CPU of the main thread (the event loop) per booking, µs. */
  mainCpuUs: number;
  /** CPU of the whole process (all its threads) per booking, µs. */
  processCpuUs: number;
}

/** CPU time of the main thread so far, µs (utime + stime of its /proc task; clock ticks of 10 ms). */
function mainThreadCpuUs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) (utime, stime); the slice starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function processCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

let counter = 0;

async function setUp(store: SqliteStore): Promise<DayKey[]> {
  await store.migrate();
  const keys: DayKey[] = [];
  await store.transaction(async (tx) => {
    for (let d = 0; d < DOCTOR_DAYS; d++) {
      const id = `doc-${d}`;
      await tx.insertDoctor({ id, name: id, department: 'GM', room: null, code: `D${d}`, policy: {}, createdAt: '2026-03-09T00:00:00.000Z' });
      keys.push({ doctorId: id, date: '2026-03-10' });
    }
  });
  return keys;
}

async function booking(store: SqliteStore, key: DayKey): Promise<void> {
  const n = ++counter;
  const tokenId = `t${n}`;
  const patient = { name: `Patient ${n}`, phone: `+91 ${7_000_000_000 + n}` };
  const events: DoctorDayEvent[] = [
    { type: 'TokenIssued', tokenId, number: n, label: `GM-${n}`, source: 'WALKIN', patientKey: patient.phone, request: { slotId: null, flexible: false }, at: n },
    { type: 'TokenAllocated', tokenId, slotId: `${key.doctorId}-s0`, reason: 'free-seat', at: n },
    { type: 'TokenAged', tokenId, effectiveRank: 3, at: n },
  ];
  const slots: SlotRow[] = Array.from({ length: 8 }, (_, i) => ({ ...key, id: `${key.doctorId}-s${i}`, start: i, end: i + 1, capacity: 200, occupied: n % 200 }));
  const tokens: TokenRow[] = [
    { ...key, id: tokenId, number: `GM-${n}`, slotId: `${key.doctorId}-s0`, source: 'WALKIN', status: 'ALLOCATED', issuedAt: n, bumps: 0, skips: 0 },
  ];
  const idem = idempotency ? `idem-${n}` : undefined;
  await store.transaction(async (tx) => {
    if (idem) await tx.getIdempotency(idem);
    const version = await tx.lockDay(key);
    await tx.dayEvents(key, version);
    await tx.append(key, events, slots, tokens);
    if (idem) await tx.putIdempotency({ key: idem, requestHash: 'h', response: '{"ok":true}', createdAt: 'now' });
  }, idem);
}

async function measure(name: string, maxGroup: number | undefined, inFlight: number): Promise<CeilingCase> {
  const dir = mkdtempSync(join(tmpdir(), 'opd-ceiling-'));
  const store = openSqliteStore(join(dir, 'opd.sqlite'), maxGroup === undefined ? {} : { maxGroup });
  try {
    const keys = await setUp(store);
    const commitsBefore = store.commits;
    const mainBefore = mainThreadCpuUs();
    const processBefore = processCpuUs();
    const start = performance.now();
    const until = start + seconds * 1000;
    let done = 0;
    const lane = async (first: number) => {
      for (let i = first; performance.now() < until; i += inFlight) {
        await booking(store, keys[i % keys.length]!);
        done++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, (_, i) => lane(i)));
    const elapsed = (performance.now() - start) / 1000;
    return {
      name,
      maxGroup: maxGroup ?? 64,
      inFlight,
      perSecond: done / elapsed,
      commitsPerSecond: (store.commits - commitsBefore) / elapsed,
      mainCpuUs: (mainThreadCpuUs() - mainBefore) / done,
      processCpuUs: (processCpuUs() - processBefore) / done,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The disk's ceiling: one-row commits, each with its fsync, on a bare connection (no store, no queue). */
function oneRowCommits(): CeilingCase {
  const dir = mkdtempSync(join(tmpdir(), 'opd-ceiling-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (n INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
    const mainBefore = mainThreadCpuUs();
    const processBefore = processCpuUs();
    const start = performance.now();
    const until = start + seconds * 1000;
    let done = 0;
    while (performance.now() < until) insert.run(++done);
    const elapsed = (performance.now() - start) / 1000;
    return {
      name: 'one-row SQLite commit (disk ceiling)',
      maxGroup: 1,
      inFlight: 1,
      perSecond: done / elapsed,
      commitsPerSecond: done / elapsed,
      mainCpuUs: (mainThreadCpuUs() - mainBefore) / done,
      processCpuUs: (processCpuUs() - processBefore) / done,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The first three cases keep their order: bench/http.bench.ts reads the first grouped one.
/** The rows of one booking as the desk writes them now: 3 events, the one slot it took, its token. */
function bookingRows(key: DayKey) {
  const n = ++counter;
  const tokenId = `t${n}`;
  const events: DoctorDayEvent[] = [
    { type: 'TokenIssued', tokenId, number: n, label: `GM-${n}`, source: 'WALKIN', patientKey: `p${n}`, request: { slotId: null, flexible: false }, at: n },
    { type: 'TokenAllocated', tokenId, slotId: `${key.doctorId}-s0`, reason: 'free-seat', at: n },
    { type: 'TokenAged', tokenId, effectiveRank: 3, at: n },
  ];
  const slots: SlotRow[] = [{ ...key, id: `${key.doctorId}-s0`, start: 0, end: 1, capacity: 200, occupied: n % 200 }];
  const tokens: TokenRow[] = [{ ...key, id: tokenId, number: `GM-${n}`, slotId: `${key.doctorId}-s0`, source: 'WALKIN', status: 'ALLOCATED', issuedAt: n, bumps: 0, skips: 0 }];
  return { key, events, slots, tokens };
}

/** Main-thread CPU per booking (µs): the store's reads, its reads and writes, and a hand-over of the rows to a thread. */
async function writerSplit(bookings: number): Promise<void> {
  const store = openSqliteStore(':memory:');
  const keys = await setUp(store);
  const viaStore = async (writes: boolean) => {
    const before = mainThreadCpuUs();
    for (let i = 0; i < bookings; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const r = bookingRows(keys[(i + j) % keys.length]!);
          return store.transaction(async (tx) => {
            await tx.lockDayAndRead(r.key, Number.MAX_SAFE_INTEGER);
            await tx.getDoctor(r.key.doctorId);
            if (writes) tx.appendAtCommit(r.key, r.events, r.slots, r.tokens, null);
          });
        }),
      );
    }
    return (mainThreadCpuUs() - before) / bookings;
  };
  const worker = new Worker(
    'const { parentPort } = require("node:worker_threads"); let n = 0; parentPort.on("message", (m) => { if (m === "count") parentPort.postMessage(n); else n += m.length; });',
    { eval: true },
  );
  const viaThread = async () => {
    const before = mainThreadCpuUs();
    for (let i = 0; i < bookings; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => {
        const r = bookingRows(keys[(i + j) % keys.length]!);
        return { ...r, payloads: r.events.map((e) => JSON.stringify(e)) };
      });
      worker.postMessage(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const cpu = (mainThreadCpuUs() - before) / bookings;
    worker.postMessage('count');
    const received = (await new Promise((resolve) => worker.once('message', resolve))) as number;
    if (received < bookings) throw new Error(`the thread got ${received} bookings of ${bookings}`);
    return cpu;
  };
  try {
    for (let round = 1; round <= 3; round++) {
      const readsOnlyUs = await viaStore(false);
      const readsAndWritesUs = await viaStore(true);
      const handOverUs = await viaThread();
      console.log(JSON.stringify({ name: 'main-thread CPU per booking (µs)', round, bookings, readsOnlyUs, readsAndWritesUs, handOverUs }));
    }
  } finally {
    await worker.terminate();
    await store.close();
  }
}

if (process.argv.includes('split')) {
  await writerSplit(Number(process.argv[2] ?? 20_000));
  process.exit(0);
}

const only = process.env.CEILING_ONLY;
for (const [name, maxGroup, inFlight] of [
  ['one commit per booking', 1, 1],
  ['one commit per booking', 1, 50],
  ['group commit (store default)', undefined, 50],
  ['group commit (store default)', undefined, 1],
] as const) {
  if (only === undefined || only === `${maxGroup ?? 64}x${inFlight}`) console.log(JSON.stringify(await measure(name, maxGroup, inFlight)));
}
if (only === undefined || only === 'disk') console.log(JSON.stringify(oneRowCommits()));
