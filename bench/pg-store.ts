// The PostgreSQL store without HTTP: two "servers" (two token desks, each with its own PostgresStore
// and pool, in this one process) booking on one fresh database, 50 bookings in flight, against the
// ceilings of the same run on the same database:
//   DATABASE_URL=postgres://… node --import tsx bench/pg-store.ts [seconds] [rounds] [case…]
// Cases (default: all, in this order, `rounds` times over, so before/after copies can alternate):
//   select1   one round trip (`SELECT 1`), 50 in flight over two pools of 5: PostgreSQL's ceiling here
//   commit    one durable transaction per round trip (BEGIN; INSERT of one short row; COMMIT)
//   shared    bookings through both desks onto every doctor-day (each desk often catches up first)
//   routed    each doctor booked through one desk only (what a load balancer hashing on the doctor does)
// A booking is the HTTP workload's: a new patient with a name and a phone, ONLINE into a named slot,
// 100 doctors × 8 hourly slots of 1,000 seats. Prints one JSON line per case and run, then a table.
// PostgreSQL's CPU is read from /proc: `backends` are this database's own connections (what the
// bookings cost), `postgres` every process named postgres (WAL writer, checkpointer… and whatever
// other databases on the server do meanwhile).

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { Actor, RequestContext } from '../src/access/types.ts';
import { openTokenDesk } from '../src/service/token-desk.ts';
import type { TokenDesk } from '../src/service/types.ts';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { ManualClock } from '../src/time/clock.ts';

const base = process.env.DATABASE_URL;
if (!base?.startsWith('postgres')) throw new Error('set DATABASE_URL=postgres://…');
const numbers = process.argv.slice(2).filter((a) => /^\d+(\.\d+)?$/.test(a));
const SECONDS = Number(numbers[0] ?? 8);
const ROUNDS = Number(numbers[1] ?? 1);
const ALL = ['select1', 'commit', 'shared', 'routed'] as const;
type CaseName = (typeof ALL)[number];
const named = process.argv.slice(2).filter((a): a is CaseName => (ALL as readonly string[]).includes(a));
const CASES: readonly CaseName[] = named.length > 0 ? named : ALL;
const IN_FLIGHT = 50;
const POOL = 5;
const WARM_UP_MS = 1_500;
const DOCTORS = 100;
const SLOTS = 8;
const DATE = '2026-03-10';
const TZ = 'Asia/Kolkata';
const DESK: Actor = Object.freeze({ kind: 'account', id: 'acc-bench', name: 'Bench desk', role: 'desk', doctorIds: 'all' });
const CTX: RequestContext = { actor: DESK, requestId: 'bench' };
const TICK_MS = 1000 / 100; // /proc times are in clock ticks (USER_HZ, 100 on Linux)

interface Result {
  case: CaseName;
  seconds: number;
  done: number;
  perSecond: number;
  p50: number;
  p99: number;
  nodeCpuUs: number;
  backendsCpuUs: number;
  postgresCpuUs: number;
  machineCores: number;
  waits: Record<string, number>;
  /** pg_stat_database of the bench's database, per operation: rows read, written, buffers, commits. */
  perOp: Record<string, number>;
}

const STAT_COLUMNS = ['xact_commit', 'tup_returned', 'tup_fetched', 'tup_inserted', 'tup_updated', 'blks_hit', 'blks_read'] as const;

async function databaseStats(monitor: pg.Client): Promise<Record<string, number>> {
  await monitor.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await monitor.query<Record<string, string>>(`SELECT ${STAT_COLUMNS.join(', ')} FROM pg_stat_database WHERE datname = $1`, [dbName]);
  const out: Record<string, number> = Object.fromEntries(STAT_COLUMNS.map((c) => [c, Number(rows[0]![c])]));
  // Rows written per table, and how many of the updates were HOT (no new index entries).
  const tables = await withClient(dbUrl, (c) =>
    c.query<{ relname: string; ins: string; upd: string; hot: string }>('SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables'),
  );
  for (const t of tables.rows) {
    if (t.relname === 'bench_commit' || Number(t.ins) + Number(t.upd) === 0) continue;
    out[`${t.relname}.ins`] = Number(t.ins);
    out[`${t.relname}.upd`] = Number(t.upd);
    out[`${t.relname}.hot`] = Number(t.hot);
  }
  return out;
}

// ------------------------------------------------------------------ CPU from /proc

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime, stime
  } catch {
    return 0; // gone meanwhile
  }
}

function postgresPids(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function machineTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  return cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!; // user nice system irq softirq steal
}

// ------------------------------------------------------------------ the database

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

const dbName = `opd_bench_pg_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function backendPids(monitor: pg.Client): Promise<number[]> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
  return rows.map((r) => r.pid);
}

// ------------------------------------------------------------------ one measured run

type Op = (lane: number, n: number) => Promise<void>;

async function run(name: CaseName, monitor: pg.Client, op: Op): Promise<Result> {
  let n = 0;
  let completed = 0;
  let stop = false;
  let measuring = false;
  const latencies: number[] = [];
  const lanes = Array.from({ length: IN_FLIGHT }, async (_, lane) => {
    while (!stop) {
      const t = performance.now();
      await op(lane, n++);
      completed++;
      if (measuring) latencies.push(performance.now() - t);
    }
  });
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  const pids = await backendPids(monitor);
  const all = postgresPids();
  const statsBefore = await databaseStats(monitor);
  const completedBefore = completed;
  const before = { node: process.cpuUsage(), backends: pids.map(ticksOf), all: all.map(ticksOf), machine: machineTicks(), at: performance.now() };
  measuring = true;
  // What the database's connections wait for, sampled every 50 ms (the lock of NOTIFY, WAL flushes…).
  const waits: Record<string, number> = {};
  const sampler = setInterval(() => {
    void monitor
      .query<{ w: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active'`,
        [dbName],
      )
      .then(({ rows }) => {
        for (const r of rows) waits[r.w] = (waits[r.w] ?? 0) + 1;
      }, () => {});
  }, 50);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const seconds = (performance.now() - before.at) / 1000;
  const done = latencies.length;
  const node = process.cpuUsage(before.node);
  const backends = pids.reduce((sum, pid, i) => sum + ticksOf(pid) - before.backends[i]!, 0);
  const postgres = all.reduce((sum, pid, i) => sum + ticksOf(pid) - before.all[i]!, 0);
  const machine = machineTicks() - before.machine;
  clearInterval(sampler);
  stop = true;
  await Promise.all(lanes);
  await new Promise((r) => setTimeout(r, 1_200)); // backends report their counts at most once a second
  const statsAfter = await databaseStats(monitor);
  const perOp = Object.fromEntries(
    Object.keys(statsAfter)
      .map((c) => [c, round((statsAfter[c]! - (statsBefore[c] ?? 0)) / (completed - completedBefore), 2)] as const)
      .filter(([, v]) => v !== 0),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    case: name,
    seconds: round(seconds, 2),
    done,
    perSecond: Math.round(done / seconds),
    p50: round(at(0.5), 1),
    p99: round(at(0.99), 1),
    nodeCpuUs: Math.round((node.user + node.system) / done),
    backendsCpuUs: Math.round((backends * TICK_MS * 1000) / done),
    postgresCpuUs: Math.round((postgres * TICK_MS * 1000) / done),
    machineCores: round((machine * TICK_MS) / 1000 / seconds, 2),
    waits,
    perOp,
  };
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

// ------------------------------------------------------------------ the cases

async function ceiling(name: 'select1' | 'commit', monitor: pg.Client): Promise<Result> {
  const pools = [0, 1].map(() => new pg.Pool({ connectionString: dbUrl, max: POOL }));
  try {
    const sql = name === 'select1' ? 'SELECT 1' : 'BEGIN; INSERT INTO bench_commit (n) VALUES (1); COMMIT';
    return await run(name, monitor, async (lane) => {
      await pools[lane % 2]!.query(sql);
    });
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
}

interface Hospital {
  doctors: { id: string; slots: string[] }[];
}

async function openDesk(): Promise<{ desk: TokenDesk; store: PostgresStore }> {
  const store = openPostgresStore(dbUrl, { max: POOL });
  await store.migrate();
  const desk = await openTokenDesk({ store, timeZone: TZ, clock: new ManualClock(new Date(`${DATE}T07:00:00+05:30`)) });
  return { desk, store };
}

let hospital: Hospital | undefined;

async function makeHospital(desk: TokenDesk): Promise<Hospital> {
  const doctors: Hospital['doctors'] = [];
  for (let d = 0; d < DOCTORS; d++) {
    const code = `B${String.fromCharCode(65 + Math.floor(d / 26))}${String.fromCharCode(65 + (d % 26))}`;
    const doctor = await desk.createDoctor({ name: `Bench Doctor ${d}`, department: 'General Medicine', code }, CTX);
    const slots: string[] = [];
    for (let s = 0; s < SLOTS; s++) {
      const hour = String(9 + s).padStart(2, '0');
      const end = String(10 + s).padStart(2, '0');
      const slot = await desk.createSlot({ doctorId: doctor.id, start: `${DATE}T${hour}:00:00+05:30`, end: `${DATE}T${end}:00:00+05:30`, capacity: 1000 }, CTX);
      slots.push(slot.id);
    }
    doctors.push({ id: doctor.id, slots });
  }
  return { doctors };
}

/** Patients are never repeated across cases and rounds. */
let patient = 0;

async function bookings(name: 'shared' | 'routed', monitor: pg.Client): Promise<Result> {
  const desks = [await openDesk(), await openDesk()];
  hospital ??= await makeHospital(desks[0]!.desk);
  const h = hospital;
  try {
    return await run(name, monitor, async (lane, n) => {
      const p = patient++;
      const doctor = h.doctors[(n * 7919) % DOCTORS]!;
      // shared: lanes alternate between the desks whatever the doctor; routed: the doctor decides.
      const desk = desks[name === 'shared' ? lane % 2 : (n * 7919) % DOCTORS % 2]!.desk;
      await desk.issueToken(
        { doctorId: doctor.id, source: 'ONLINE', slotId: doctor.slots[p % SLOTS]!, patient: { name: `Bench Patient ${p}`, phone: `9${String(100_000_000 + p).padStart(9, '0')}` } },
        CTX,
      );
    });
  } finally {
    for (const d of desks) {
      await d.desk.close();
      await d.store.close();
    }
  }
}

async function main(): Promise<void> {
  await withClient(base!, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`));
  const monitor = new pg.Client({ connectionString: base });
  await monitor.connect();
  const results: Result[] = [];
  try {
    await withClient(dbUrl, (c) => c.query('CREATE TABLE bench_commit (id bigserial PRIMARY KEY, n integer NOT NULL)'));
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of CASES) {
        const result = name === 'select1' || name === 'commit' ? await ceiling(name, monitor) : await bookings(name, monitor);
        console.log(JSON.stringify(result));
        results.push(result);
      }
    }
  } finally {
    await monitor.end();
    await withClient(base!, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dbName)} WITH (FORCE)`));
  }
  console.log('\n| case | per second | p50 | p99 | server(s) CPU per op | PostgreSQL backends CPU per op | all postgres CPU per op | machine cores busy |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const x of results) {
    console.log(`| ${x.case} | ${x.perSecond.toLocaleString('en')} | ${x.p50} ms | ${x.p99} ms | ${x.nodeCpuUs} µs | ${x.backendsCpuUs} µs | ${x.postgresCpuUs} µs | ${x.machineCores} |`);
  }
}

await main();
