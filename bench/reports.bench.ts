// How long the administrator's report of a 30-day range of a 200-doctor hospital takes, on SQLite and
// on PostgreSQL:
//   [DATABASE_URL=postgres://…] node --import tsx bench/reports.bench.ts [days] [doctors]
// The log is made by the engine: one hospital day (bench/hospital-day.ts: slots, bookings, walk-ins,
// arrivals, consultations, delays, the clock's ticks) played once, its doctor-days' events copied to
// each day of the range with times shifted, and written through the store's own append (no projection
// rows: the report reads only the log and its summaries). Then, per store:
//   cold   the first report of the range: every doctor-day summed from its log, the summaries stored;
//   warm   the same report again: the stored summaries read, none summed (the steady state: past days
//          never change);
//   http   the warm report through GET /api/reports (schema, serialization), as a browser gets it;
// each against a ceiling measured in the same run on the same store: reading the same rows raw with
// one query, without parsing (all events' payloads of the range for cold; all summaries for warm).
// Prints one JSON line per store.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AccessService } from '../src/access/access-service.ts';
import { scryptHasher } from '../src/access/passwords.ts';
import { buildApp } from '../src/api/app.ts';
import { DEFAULT_POLICY, execute, openDoctorDay, type DoctorDayEvent } from '../src/engine/index.ts';
import { createTokenDesk } from '../src/service/token-desk.ts';
import { PatientDesk } from '../src/service/patient-desk.ts';
import { openPostgresStore } from '../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { DATE, median } from './clock.ts';
import { planHospitalDay } from './hospital-day.ts';

const DAYS = Number(process.argv[2] ?? 30);
const DOCTORS = Number(process.argv[3] ?? 200);
const RUNS = 5;
const DAY_MS = 24 * 60 * 60_000;
const DEPARTMENTS = ['General medicine', 'Paediatrics', 'Orthopaedics', 'ENT', 'Ophthalmology', 'Dermatology', 'Gynaecology', 'Psychiatry'];

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const lastDate = addDays(DATE, DAYS - 1);

/** Each doctor's events of the planned day, SlotCreated included. */
function dayLogs(): { ids: string[]; codes: string[]; logs: DoctorDayEvent[][] } {
  const plan = planHospitalDay(DOCTORS, 7);
  const days = plan.doctors.map((d) => openDoctorDay(d.init));
  const logs = plan.doctors.map(() => [] as DoctorDayEvent[]);
  plan.doctors.forEach((d, i) => {
    for (const slot of d.slots) logs[i]!.push(...execute(days[i]!, { type: 'createSlot', slot: { ...slot } }, { now: slot.start - DAY_MS / 2, policy: DEFAULT_POLICY }).events);
  });
  for (const step of plan.steps) logs[step.day]!.push(...execute(days[step.day]!, step.command, { now: step.now, policy: DEFAULT_POLICY }).events);
  return { ids: plan.doctors.map((d) => d.init.doctorId), codes: plan.doctors.map((d) => d.init.code), logs };
}

/** The event `n` days later: every instant moved, nothing else. */
function shifted(e: DoctorDayEvent, n: number): DoctorDayEvent {
  const by = n * DAY_MS;
  const out = { ...e, at: e.at + by } as DoctorDayEvent;
  if (out.type === 'SlotCreated') out.slot = { ...out.slot, start: out.slot.start + by, end: out.slot.end + by };
  if (out.type === 'DoctorDelayed' && out.window) out.window = { from: out.window.from + by, to: out.window.to + by };
  return out;
}

async function fill(store: Store, data: ReturnType<typeof dayLogs>): Promise<number> {
  await store.transaction(async (tx) => {
    for (const [i, id] of data.ids.entries()) {
      await tx.insertDoctor({ id, name: `Dr ${data.codes[i]}`, department: DEPARTMENTS[i % DEPARTMENTS.length]!, room: null, code: data.codes[i]!, policy: {}, createdAt: new Date(0).toISOString() });
    }
  });
  let events = 0;
  for (let n = 0; n < DAYS; n++) {
    const date = addDays(DATE, n);
    // One transaction per 20 doctor-days: the fill is set-up, not measured.
    for (let start = 0; start < data.ids.length; start += 20) {
      await store.transaction(async (tx) => {
        for (let i = start; i < Math.min(start + 20, data.ids.length); i++) {
          const key = { doctorId: data.ids[i]!, date };
          const log = n === 0 ? data.logs[i]! : data.logs[i]!.map((e) => shifted(e, n));
          await tx.lockDay(key);
          await tx.append(key, log, [], [], null);
          events += log.length;
        }
      });
    }
  }
  return events;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(kind: string, store: Store, rawEvents: () => Promise<unknown>, rawSummaries: () => Promise<unknown>, data: ReturnType<typeof dayLogs>) {
  const started = performance.now();
  const events = await fill(store, data);
  const fillSeconds = (performance.now() - started) / 1000;
  const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(Date.parse(`${addDays(lastDate, 1)}T06:00:00Z`))) });
  const access = new AccessService(store.access, { clock: { now: () => desk.now() }, passwords: scryptHasher({ N: 2 ** 10, r: 8, p: 1 }) });
  const app = buildApp({ desk, access, patients: await PatientDesk.open(desk, store.settings) });
  await app.ready();
  const { secret } = await access.createApiKey({ name: 'bench admin', role: 'admin', doctorIds: 'all' });

  const ceilingCold = median([await timed(rawEvents), await timed(rawEvents), await timed(rawEvents)]);
  const cold = await timed(() => desk.report(DATE, lastDate));
  await desk.report(DATE, lastDate); // once unmeasured: the code is warm, as on a running server
  const warm: number[] = [];
  const ceilingWarm: number[] = [];
  const http: number[] = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    ceilingWarm.push(await timed(rawSummaries));
    warm.push(await timed(() => desk.report(DATE, lastDate)));
    http.push(
      await timed(async () => {
        const res = await app.inject({ method: 'GET', url: `/api/reports?from=${DATE}&to=${lastDate}`, headers: { authorization: `Bearer ${secret}` } });
        if (res.statusCode !== 200) throw new Error(`report answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        bytes = res.body.length;
      }),
    );
  }
  await app.close();
  await desk.close();
  const ms = (v: number) => Math.round(v);
  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  console.log(
    JSON.stringify({
      store: kind,
      days: DAYS,
      doctors: DOCTORS,
      doctorDays: DAYS * DOCTORS,
      events,
      fillSeconds: Math.round(fillSeconds),
      coldMs: ms(cold),
      ceilingColdMs: ms(ceilingCold),
      coldOverCeiling: ratio(cold, ceilingCold),
      warmMs: ms(median(warm)),
      ceilingWarmMs: ms(median(ceilingWarm)),
      warmOverCeiling: ratio(median(warm), median(ceilingWarm)),
      httpMs: ms(median(http)),
      httpOverCeiling: ratio(median(http), median(ceilingWarm)),
      reportBytes: bytes,
    }),
  );
}

async function main(): Promise<void> {
  const data = dayLogs();
  const dir = mkdtempSync(join(tmpdir(), 'opd-bench-reports-'));
  try {
    const store = openSqliteStore(join(dir, 'opd.sqlite'));
    await store.migrate();
    const raw = openSqliteStore(join(dir, 'opd.sqlite'));
    const db = (raw as unknown as { reader: import('better-sqlite3').Database }).reader;
    const q1 = db.prepare('SELECT payload FROM events WHERE date BETWEEN ? AND ?').pluck();
    const q2 = db.prepare('SELECT summary FROM day_summaries WHERE date BETWEEN ? AND ?').pluck();
    await measure('sqlite', store, async () => q1.all(DATE, lastDate), async () => q2.all(DATE, lastDate), data);
    await store.close();
    await raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) {
    console.log(JSON.stringify({ store: 'postgres', skipped: 'set DATABASE_URL=postgres://… to measure PostgreSQL' }));
    return;
  }
  const schema = `opd_bench_reports_${process.pid}`;
  const store = openPostgresStore(url, { schema });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await store.migrate();
    await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    await measure(
      'postgres',
      store,
      () => client.query({ text: 'SELECT payload::text FROM events WHERE date BETWEEN $1 AND $2', values: [DATE, lastDate], rowMode: 'array' }),
      () => client.query({ text: 'SELECT summary FROM day_summaries WHERE date BETWEEN $1 AND $2', values: [DATE, lastDate], rowMode: 'array' }),
      data,
    );
  } finally {
    await store.close();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  }
}

await main();
