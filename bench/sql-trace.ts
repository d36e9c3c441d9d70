// Where a booking's time goes in the embedded store, statement by statement. Books N new patients
// through the whole app (`app.inject`, 50 in flight: bench/http-api.ts's realistic workload, 100
// doctors × 8 slots of 1,000 seats, ONLINE into a named slot, each a new patient with a phone) on a
// fresh SQLite file with group commit, as `opd serve` runs, and times every better-sqlite3 call
// (a prepared statement's run/get/all/iterate, and exec: BEGIN, SAVEPOINT, COMMIT …) with the clock.
//
//   node --import tsx bench/sql-trace.ts [--bookings N] [--memory] [--top K]
//
// Prints one row per statement: wall time per booking (µs, the statement's total over N), calls,
// and the statement's text; then the sum, and the CPU per booking of the process (every thread) and
// of the main thread alone (/proc), with the clock's wall time per booking. The times are wall
// times on the main thread: COMMIT includes its fsync and any WAL checkpoint it ran. Timing each
// call costs some CPU itself (two clock reads per call): compare this tool's CPU figures only with
// its own (before/after, run in pairs); bench/http-inprocess.ts measures CPU per booking untraced.

import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessService } from '../src/access/access-service.ts';
import { buildApp } from '../src/api/app.ts';
import { OpdMetrics } from '../src/api/metrics.ts';
import { PatientDesk } from '../src/service/patient-desk.ts';
import { openTokenDesk } from '../src/service/token-desk.ts';
import { openStore } from '../src/store/open-store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { CLOCK, HOSPITAL, realisticBody, type DoctorDay } from './http-api.ts';
import { markdownTable } from './table.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const BOOKINGS = Number(option('--bookings') ?? 8_000);
const TOP = Number(option('--top') ?? 20);
const MEMORY = args.includes('--memory');
const IN_FLIGHT = 50;

// ------------------------------------------------------------------ the clock on every call

/** Per statement text: total ns and calls, while `tracing`. */
const spent = new Map<string, { ns: number; calls: number }>();
let tracing = false;

/** The wall time of each COMMIT, µs: the ones that also ran a WAL checkpoint stand out. */
const commitTimes: number[] = [];

function count(sql: string, ns: number): void {
  const key = sql.replace(/\s+/g, ' ').trim();
  if (key === 'exec: COMMIT') commitTimes.push(ns / 1000);
  const c = spent.get(key);
  if (c) {
    c.ns += ns;
    c.calls++;
  } else spent.set(key, { ns, calls: 1 });
}

type Callable = (this: unknown, ...a: unknown[]) => unknown;

/** Wraps `proto[name]` so each call is timed under the text `sqlOf(this, args)`. */
function timeMethod(proto: Record<string, unknown>, name: string, sqlOf: (self: unknown, a: unknown[]) => string): void {
  const original = proto[name] as Callable;
  proto[name] = function (this: unknown, ...a: unknown[]) {
    if (!tracing) return original.apply(this, a);
    const t = process.hrtime.bigint();
    try {
      return original.apply(this, a);
    } finally {
      count(sqlOf(this, a), Number(process.hrtime.bigint() - t));
    }
  };
}

// Statements share one prototype: patch it once (through a statement of a throwaway database).
const probe = new Database(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
probe.close();
for (const m of ['run', 'get', 'all', 'iterate']) timeMethod(statementProto, m, (self) => (self as Database.Statement).source);
timeMethod(Database.prototype as unknown as Record<string, unknown>, 'exec', (_self, a) => `exec: ${String(a[0])}`);

/** CPU time of the main thread so far, µs (utime + stime of its /proc task, in clock ticks of 10 ms). */
function mainThreadCpuUs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

// ------------------------------------------------------------------ the hospital and the bookings

const dir = mkdtempSync(join(tmpdir(), 'opd-sql-trace-'));
const metrics = new OpdMetrics();
const store = await openStore({ kind: 'sqlite', file: MEMORY ? ':memory:' : join(dir, 'opd.sqlite') }, { metrics });
const desk = await openTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(CLOCK)), metrics });
const access = new AccessService(store.access, { clock: { now: () => desk.now() } });
const patients = await PatientDesk.open(desk, store.settings);
const app = buildApp({ desk, access, patients, metrics, logger: { level: 'silent' } });
await app.ready();
const { secret } = await access.createApiKey({ name: 'trace', role: 'admin', doctorIds: 'all' });
const actor = (await access.resolveApiKey(secret))!;
const ctx = { actor, requestId: 'setup' };
const days: DoctorDay[] = [];
for (let d = 0; d < HOSPITAL.doctors; d++) {
  const code = `B${String.fromCharCode(65 + Math.floor(d / 26))}${String.fromCharCode(65 + (d % 26))}`;
  const doctor = await desk.createDoctor({ name: `Bench Doctor ${d}`, department: 'General Medicine', code }, ctx);
  const slotIds: string[] = [];
  for (const hour of HOSPITAL.hours) {
    const hh = String(hour).padStart(2, '0');
    const end = String(hour + 1).padStart(2, '0');
    const slot = await desk.createSlot({ doctorId: doctor.id, start: `${HOSPITAL.date}T${hh}:00:00+05:30`, end: `${HOSPITAL.date}T${end}:00:00+05:30`, capacity: HOSPITAL.capacity }, ctx);
    slotIds.push(slot.id);
  }
  days.push({ doctorId: doctor.id, date: HOSPITAL.date, slotIds });
}

const headers = { 'content-type': 'application/json', authorization: `Bearer ${secret}` };
const commitsBefore = (store as { commits?: number }).commits ?? 0;
let next = 0;
const lane = async () => {
  while (next < BOOKINGS) {
    const i = next++;
    const res = await app.inject({ method: 'POST', url: '/api/tokens', headers, payload: realisticBody(days, i) });
    if (res.statusCode !== 201) throw new Error(`sql-trace: a booking answered ${res.statusCode}: ${res.body}`);
  }
};
global.gc?.();
tracing = true;
const cpu = process.cpuUsage();
const main = mainThreadCpuUs();
const wall = performance.now();
await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
const wallUs = ((performance.now() - wall) * 1000) / BOOKINGS;
const mainUs = (mainThreadCpuUs() - main) / BOOKINGS;
const used = process.cpuUsage(cpu);
tracing = false;
const commits = ((store as { commits?: number }).commits ?? 0) - commitsBefore;
const walFile = join(dir, 'opd.sqlite-wal');
const walMiB = existsSync(walFile) ? statSync(walFile).size / 2 ** 20 : 0;

await app.close();
await desk.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

// ------------------------------------------------------------------ the table

const perBooking = (ns: number) => ns / BOOKINGS / 1000;
const rows = [...spent].sort((a, b) => b[1].ns - a[1].ns);
const total = rows.reduce((s, [, c]) => s + c.ns, 0);
const shown = rows.slice(0, TOP);
const rest = rows.slice(TOP).reduce((s, [, c]) => s + c.ns, 0);
const short = (sql: string) => (sql.length > 110 ? `${sql.slice(0, 107)}…` : sql).replace(/\|/g, '\\|');
console.log(
  markdownTable(
    ['µs/booking', 'calls', 'statement'],
    [
      ...shown.map(([sql, c]) => [perBooking(c.ns).toFixed(1), c.calls, `\`${short(sql)}\``]),
      ...(rows.length > TOP ? [[perBooking(rest).toFixed(1), rows.slice(TOP).reduce((s, [, c]) => s + c.calls, 0), `${rows.length - TOP} other statements`]] : []),
      [perBooking(total).toFixed(1), rows.reduce((s, [, c]) => s + c.calls, 0), '**all SQLite calls**'],
    ],
  ),
);
console.log(
  `\n${BOOKINGS} bookings, ${commits} commits (${(BOOKINGS / Math.max(1, commits)).toFixed(1)} per commit)${MEMORY ? ', memory (no fsync)' : ''}; ` +
    `per booking: CPU ${((used.user + used.system) / BOOKINGS).toFixed(1)} µs (process), ${mainUs.toFixed(1)} µs (main thread), wall ${wallUs.toFixed(1)} µs; ` +
    `the WAL file at the end: ${walMiB.toFixed(1)} MiB`,
);
const sorted = [...commitTimes].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const slowest = sorted.slice(Math.floor(sorted.length * 0.9)).reduce((s, t) => s + t, 0);
console.log(
  `COMMIT wall µs: median ${at(0.5).toFixed(0)}, p90 ${at(0.9).toFixed(0)}, max ${at(1).toFixed(0)}; the slowest tenth hold ` +
    `${((100 * slowest) / Math.max(1, sorted.reduce((s, t) => s + t, 0))).toFixed(0)}% of COMMIT's time`,
);
