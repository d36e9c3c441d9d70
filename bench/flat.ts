// Does a booking cost the same in a doctor-day of 2,000 tokens as in one of 20, and what does a day
// of 200,000 tokens hold in memory? Books 200,000 tokens into one day in batches, in-process on the
// service (TokenDesk.issueToken on the embedded SQLite store, in a temporary file) and on the engine
// alone, and prints the CPU per booking of each batch and the process's memory after it.
//
// Each scenario runs in its own process (so its memory is its own): 1,000 doctors × 200 tokens, and
// 100 doctors × 2,000 tokens, each doctor-day 8 hourly slots with a seat for every token. Bookings
// are new patients (name and phone), ONLINE, into a named slot, spread evenly over the doctors and
// their slots, 50 in flight at a time (as 50 connections would). Before the timed batches every day
// gets 20 tokens (warm-up); the first timed batch takes each day from 20 to 40 tokens, the last from
// 2,000 (or 200) to 20 more: "flat" is the last of these over the first.
//
// Then the day ends: the clock moves three days on and ticks every day (the tokens expire, the days
// close), and the memory is read again after a garbage collection.
//
// Ceilings of the same run: the engine alone, and one SQLite transaction (one small row, COMMIT with
// fsync) on the same disk. The databases are written to /dev/shm where there is one: the store runs
// the same code (COMMIT and fsync included), only the wait for the disk is gone, so a run takes
// minutes rather than half an hour; CPU per booking is what is measured, not the disk.
//
//   npm run bench:flat            (node --expose-gc; writes the `flat` section of bench/RESULTS.md)
//   npm run bench:flat -- --quick (a tenth of the tokens; prints only)

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_POLICY, execute, openDoctorDay, type DoctorDay } from '../src/engine/index.ts';
import { openStore } from '../src/store/open-store.ts';
import { createTokenDesk } from '../src/service/token-desk.ts';
import { AS_DESK } from '../test/kits/service/test-kit.ts';
import { ManualClock } from '../src/time/clock.ts';
import { writeResultsSection } from './results-section.ts';
import { markdownTable } from './table.ts';

const TZ = 'Asia/Kolkata';
const DATE = '2026-03-10';
const SLOTS = 8;
const IN_FLIGHT = 50;
const WARM = 20;
/** Where the databases go: memory-backed when there is one (fsync takes no time there; the CPU is the same). */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const at = (hh: number, day = 10) => new Date(`2026-03-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+05:30`);

export interface Batch {
  /** Tokens per doctor-day before and after the batch. */
  from: number;
  to: number;
  bookings: number;
  cpuUsPerBooking: number;
  rssMb: number;
  heapMb: number;
}

export interface ScenarioResult {
  name: string;
  doctors: number;
  perDay: number;
  batches: Batch[];
  /** After the day ended and closed, after a garbage collection. */
  closed: { rssMb: number; heapMb: number };
}

interface Booker {
  /** Books token number `n` of every doctor-day, for n in [from, to). */
  book(from: number, to: number): Promise<void>;
  closeDay(): Promise<void>;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** One booking per doctor per round, each round into the next slot: the days and their slots grow evenly. */
function plan(doctors: number, from: number, to: number): { doctor: number; n: number }[] {
  const out: { doctor: number; n: number }[] = [];
  for (let n = from; n < to; n++) for (let d = 0; d < doctors; d++) out.push({ doctor: d, n });
  return out;
}

async function serviceBooker(doctors: number, perDay: number, dir: string): Promise<Booker> {
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'flat.db') });
  const clock = new ManualClock(at(7));
  const desk = createTokenDesk({ store, timeZone: TZ, clock });
  const capacity = Math.ceil((perDay + WARM) / SLOTS) + 1;
  // The doctors set up side by side (their commits share fsyncs), each doctor's slots in turn.
  const ids = await Promise.all(
    Array.from({ length: doctors }, async (_, d) => {
      const doctor = await desk.createDoctor({ name: `Dr. ${d}`, department: 'General Medicine', code: code(d) }, AS_DESK);
      const slots: string[] = [];
      for (let h = 0; h < SLOTS; h++) {
        const start = `${DATE}T${String(9 + h).padStart(2, '0')}:00:00+05:30`;
        const end = `${DATE}T${String(10 + h).padStart(2, '0')}:00:00+05:30`;
        slots.push((await desk.createSlot({ doctorId: doctor.id, start, end, capacity }, AS_DESK)).id);
      }
      return { doctorId: doctor.id, slots };
    }),
  );
  let patient = 0;
  return {
    async book(from, to) {
      const work = plan(doctors, from, to);
      let next = 0;
      const worker = async () => {
        while (next < work.length) {
          const { doctor, n } = work[next++]!;
          const p = patient++;
          const { doctorId, slots } = ids[doctor]!;
          await desk.issueToken({ doctorId, source: 'ONLINE', slotId: slots[n % SLOTS]!, patient: { name: `Patient ${p}`, phone: `9${String(100_000_000 + p)}` } }, AS_DESK);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    },
    async closeDay() {
      await desk.setClock(at(7, 13));
      await desk.close();
      await store.close();
    },
  };
}

function engineBooker(doctors: number, perDay: number): Booker {
  const capacity = Math.ceil((perDay + WARM) / SLOTS) + 1;
  const now = at(7).getTime();
  const days: DoctorDay[] = [];
  for (let d = 0; d < doctors; d++) {
    const day = openDoctorDay({ doctorId: `doctor-${d}`, date: DATE, code: code(d) });
    for (let h = 0; h < SLOTS; h++) {
      execute(day, { type: 'createSlot', slot: { id: `D${d}S${h}`, start: at(9 + h).getTime(), end: at(10 + h).getTime(), capacity } }, { now, policy: DEFAULT_POLICY });
    }
    days.push(day);
  }
  let patient = 0;
  return {
    book(from, to) {
      for (const { doctor, n } of plan(doctors, from, to)) {
        const p = patient++;
        const out = execute(days[doctor]!, { type: 'issueToken', tokenId: `T${p}`, source: 'ONLINE', patientKey: `P${p}`, slotId: `D${doctor}S${n % SLOTS}` }, { now, policy: DEFAULT_POLICY });
        if (!out.ok) throw new Error(`engine refused booking ${p}: ${out.code}`);
      }
      return Promise.resolve();
    },
    closeDay() {
      const later = at(7, 13).getTime();
      for (const day of days) execute(day, { type: 'tick' }, { now: later, policy: DEFAULT_POLICY });
      days.length = 0;
      return Promise.resolve();
    },
  };
}

/** Doctor codes AA, AB, … (unique, 2–4 capital letters). */
function code(d: number): string {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return a[Math.floor(d / 676) % 26]! + a[Math.floor(d / 26) % 26]! + a[d % 26]!;
}

async function scenario(kind: 'service' | 'engine', doctors: number, perDay: number, batch: number): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(SCRATCH, 'opd-flat-'));
  try {
    const booker = kind === 'service' ? await serviceBooker(doctors, perDay, dir) : engineBooker(doctors, perDay);
    await booker.book(0, WARM);
    const batches: Batch[] = [];
    const timed = async (from: number, to: number) => {
      gc();
      const cpu = process.cpuUsage();
      await booker.book(from, to);
      const used = process.cpuUsage(cpu);
      const mem = process.memoryUsage();
      const bookings = (to - from) * doctors;
      batches.push({ from, to, bookings, cpuUsPerBooking: (used.user + used.system) / bookings, rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed) });
    };
    await timed(WARM, 2 * WARM);
    const step = Math.max(WARM, Math.round(batch / doctors));
    for (let n = 2 * WARM; n < perDay; n = Math.min(perDay, n + step)) await timed(n, Math.min(perDay, n + step));
    await timed(perDay, perDay + WARM);
    await booker.closeDay();
    gc();
    const mem = process.memoryUsage();
    return { name: `${kind}, ${doctors.toLocaleString('en-US')} doctors × ${perDay.toLocaleString('en-US')}`, doctors, perDay, batches, closed: { rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU per COMMIT of one small row on the same disk, with the store's journal (WAL, synchronous FULL). */
function sqliteCommitCeiling(commits: number): number {
  const dir = mkdtempSync(join(SCRATCH, 'opd-flat-'));
  try {
    const db = new Database(join(dir, 'ceiling.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const one = db.transaction((v: string) => insert.run(v));
    const cpu = process.cpuUsage();
    for (let i = 0; i < commits; i++) one(`row ${i}`);
    const used = process.cpuUsage(cpu);
    db.close();
    return (used.user + used.system) / commits;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the parent: runs and reports

const CASES = [
  { kind: 'service', doctors: 1_000, perDay: 200 },
  { kind: 'service', doctors: 100, perDay: 2_000 },
  { kind: 'engine', doctors: 1_000, perDay: 200 },
  { kind: 'engine', doctors: 100, perDay: 2_000 },
] as const;

function runChild(args: string[]): string {
  const self = fileURLToPath(import.meta.url);
  return execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
}

function report(results: ScenarioResult[], ceiling: number, quick: boolean): string {
  const parts: string[] = [];
  parts.push(`# Flat: a booking in a big doctor-day, and a day's memory`);
  parts.push(
    `Machine: ${process.arch}, Node ${process.version}. Run with \`npm run bench:flat\`${quick ? ' --quick (a tenth of the tokens)' : ''}; this section is written by bench/flat.ts. ` +
      `In-process: \`TokenDesk.issueToken\` on the embedded SQLite store (a file, durable), and the engine alone (\`execute\`). ` +
      `Every booking a new patient (name, phone), ONLINE into a named slot; 8 hourly slots per doctor-day with a seat for every token; ${IN_FLIGHT} bookings in flight. ` +
      `CPU per booking is the process's user + system CPU over the batch (process.cpuUsage), divided by its bookings; memory is read after each batch.`,
  );
  parts.push(`Ceilings of the same run: the engine alone (below), and one SQLite transaction of one small row (COMMIT, fsync): ${ceiling.toFixed(1)} µs CPU per commit.`);
  const summary: (string | number)[][] = [];
  for (const r of results) {
    const first = r.batches[0]!;
    const last = r.batches[r.batches.length - 1]!;
    summary.push([r.name, first.cpuUsPerBooking, last.cpuUsPerBooking, `${(last.cpuUsPerBooking / first.cpuUsPerBooking).toFixed(2)}×`, last.rssMb, r.closed.rssMb, r.closed.heapMb]);
  }
  parts.push(
    markdownTable(['scenario', `µs/booking at ${WARM}→${2 * WARM} tokens`, 'µs/booking at the end (+20)', 'end vs 20', 'RSS MB, day full', 'RSS MB, day closed', 'heap MB, day closed'], summary),
  );
  parts.push('Goals: the end at most 1.2× the 20-token figure; RSS ≤ 300 MB after 200,000 tokens; a closed day holds no memory (the heap falls back).');
  for (const r of results) {
    parts.push(`### ${r.name}`);
    parts.push(markdownTable(['tokens per doctor-day', 'bookings', 'µs CPU/booking', 'RSS MB', 'heap MB'], r.batches.map((b) => [`${b.from}→${b.to}`, b.bookings, b.cpuUsPerBooking, b.rssMb, b.heapMb])));
  }
  return parts.join('\n\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const scale = quick ? 10 : 1;
  const child = args.indexOf('--child');
  if (child >= 0) {
    const c = CASES[Number(args[child + 1])]!;
    const result = await scenario(c.kind, c.doctors, c.perDay / scale, 20_000 / scale);
    process.stdout.write(JSON.stringify(result));
    return;
  }
  if (args.includes('--ceiling')) {
    process.stdout.write(JSON.stringify(sqliteCommitCeiling(quick ? 200 : 2_000)));
    return;
  }
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: ScenarioResult[] = [];
  const ceiling = JSON.parse(runChild(['--ceiling', ...(quick ? ['--quick'] : [])])) as number;
  for (let i = 0; i < CASES.length; i++) {
    if (only !== undefined && !only.split(',').includes(String(i))) continue;
    const r = JSON.parse(runChild(['--child', String(i), ...(quick ? ['--quick'] : [])])) as ScenarioResult;
    results.push(r);
    process.stderr.write(`${r.name}: ${r.batches.map((b) => b.cpuUsPerBooking.toFixed(0)).join(' ')} µs; RSS ${r.batches[r.batches.length - 1]!.rssMb} MB, closed ${r.closed.rssMb} MB (heap ${r.closed.heapMb})\n`);
  }
  const text = report(results, ceiling, quick);
  console.log(text);
  if (!quick && only === undefined) writeResultsSection(new URL('./RESULTS.md', import.meta.url).pathname, 'flat', text);
}

await main();
