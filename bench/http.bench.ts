// `npm run bench:http`: POST /api/tokens over real HTTP on 127.0.0.1, driven by autocannon, printed and
// written to the http section of bench/RESULTS.md. Cases, each for SECONDS at 10 and then 50
// connections after a short warm-up:
//   - bare Fastify: the HTTP ceiling of this machine (a route that parses the body, answers small JSON);
//   - the token desk on its embedded store (SQLite file, group commit, WAL, synchronous=FULL);
//   - the token desk on PostgreSQL, two server processes on one fresh database;
//   - the storage ceiling: booking-shaped SQLite transactions with no HTTP, one commit each and grouped.
// Every server is a real process (`node bin/opd.js serve`, OPD_CLOCK=manual, LOG_LEVEL=silent) on a
// fresh data directory or database, which the benchmark removes again. All load goes to 127.0.0.1,
// is bounded in time and stops by itself.
//
//   npm run bench:http [-- --seconds N] [-- --quick] [-- --cpu-prof DIR]
// --quick: 3 s per run (RESULTS.md is not written).
// --seconds: per measured run (default 10). --cpu-prof DIR: the desk servers run under
// `node --cpu-prof` writing to DIR (then RESULTS.md is not written: profiling slows them).
// --only bare,embedded,postgres,ceiling: some of the cases (the http section is not written either;
// the http-auth section is, when bare and embedded both ran: it reads those two cases only).
// PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres
// names a server and a database to connect to; the benchmark creates and drops its own database there.

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createHospital, HOSPITAL, realisticBody, setClock, type DoctorDay, type Layout } from './http-api.ts';
import { accessHookCost, benchCredentials, type HookCost } from './http-auth.ts';
import { cpuWindow, fsyncTracer, type CpuWindow } from './http-machine.ts';
import { httpNotes } from './http-notes.ts';
import { load, type LoadResult, type LoadSpec } from './http-load.ts';
import { createBenchDatabase, redact, startPostgresDesk, startProcess, startSqliteDesk, type ServerProcess } from './http-server.ts';
import { measuredInFull, writeResultsSection } from './results-section.ts';
import { formatNumber, markdownTable, type Cell } from './table.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
/** --quick: 3 s runs, for iterating (RESULTS.md is then not written). */
const QUICK = args.includes('--quick');
const SECONDS = Number(option('--seconds') ?? (QUICK ? 3 : 10));
const WARM_UP_SECONDS = 2;
const CONNECTIONS = [10, 50] as const;
const CPU_PROF = option('--cpu-prof');
const NODE_OPTIONS = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
const CEILING_SECONDS = 3;
/** --only bare,embedded,postgres,ceiling: run some cases (then only a section whose cases all ran is written). */
const ONLY = option('--only')?.split(',');
const wanted = (name: string) => ONLY === undefined || ONLY.includes(name);
/** The sections of RESULTS.md this benchmark writes, each with the cases it reads. */
const SECTIONS = { http: ['bare', 'embedded', 'postgres', 'ceiling'], 'http-auth': ['bare', 'embedded'] } as const;
const measured = (section: keyof typeof SECTIONS) => measuredInFull({ only: ONLY, quick: QUICK, profiled: CPU_PROF !== undefined }, SECTIONS[section]);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// The goals of issue 13 (throughput): a durable booking in a quarter of the CPU it cost.
const GOAL_EMBEDDED = 12_000;
const GOAL_POSTGRES = 4_000;
const GOAL_P99_MS = 10;
const GOAL_PG_P99_MS = 25;
const GOAL_CPU_US = 75;

/**
 * The outside workload of issue 13: one day of 100 doctors × 8 hourly slots of 1,000 seats (800,000
 * seats, more than any run books), every booking ONLINE into a named slot (http-api.ts).
 */
const LAYOUT: Layout = { doctors: HOSPITAL.doctors, daysPerDoctor: 1, capacity: HOSPITAL.capacity };

if (!Number.isFinite(SECONDS) || SECONDS <= 0 || SECONDS > 30) throw new Error('bench: --seconds must be a number from 1 to 30');

const out: string[] = [];
function say(text = ''): void {
  console.log(text);
  out.push(text);
}
function progress(text: string): void {
  console.error(`  … ${text}`);
}

// ------------------------------------------------------------------ one case

interface Run {
  connections: number;
  result: LoadResult;
  cpu: CpuWindow;
  /** fsync calls of the server during the run (SQLite with strace only). */
  fsyncs: number | null;
}

interface Case {
  name: string;
  runs: Run[];
  /** Answers 201 during the warm-up and the runs: what the store must hold afterwards. */
  acknowledged: number;
  stored: number | null;
  note?: string;
  /** Embedded only: alternating runs at 50 connections with each credential. */
  auth?: { bearer: LoadResult[]; cookie: LoadResult[] };
}

/** Seconds of each alternating credential run, and how many of each. */
const AUTH_SECONDS = 4;
const AUTH_ROUNDS = 2;

const classifyBooking = (status: number, body: string): string =>
  status !== 201 ? `HTTP ${status}` : body.includes('"status":"ALLOCATED"') ? 'seated' : body.includes('"status":"WAITLISTED"') ? 'waitlisted' : 'other';

/** A warm-up, then one run per connection count, all against `targets`. */
async function drive(
  name: string,
  targets: string[],
  pids: number[],
  spec: Pick<LoadSpec, 'body' | 'classify' | 'headers'>,
  fsyncs?: (from: number, to: number) => number,
): Promise<{ runs: Run[]; acknowledged: number }> {
  const base = { targets, method: 'POST' as const, path: '/api/tokens', ...spec };
  progress(`${name}: warm-up, ${WARM_UP_SECONDS} s at 10 connections`);
  const warm = await load({ ...base, connections: 10, seconds: WARM_UP_SECONDS });
  let acknowledged = warm.statusCodes['201'] ?? 0;
  const runs: Run[] = [];
  for (const connections of CONNECTIONS) {
    progress(`${name}: ${SECONDS} s at ${connections} connections`);
    const from = Date.now();
    const done = cpuWindow(pids);
    const result = await load({ ...base, connections, seconds: SECONDS });
    const cpu = done();
    runs.push({ connections, result, cpu, fsyncs: fsyncs ? fsyncs(from, Date.now()) : null });
    acknowledged += result.statusCodes['201'] ?? 0;
  }
  return { runs, acknowledged };
}

async function bareFastify(): Promise<Case> {
  const server = await startProcess(['--import', 'tsx', 'bench/http-bare-server.ts'], {});
  try {
    const { runs } = await drive('bare Fastify', [server.url], [server.pid], { body: (n) => realisticBody(FAKE_DAYS, n) });
    return { name: 'bare Fastify route (ceiling)', runs, acknowledged: 0, stored: null };
  } finally {
    await server.stop();
  }
}

/** Booking bodies for the bare route: the same shape and size as the real ones. */
const FAKE_DAYS: DoctorDay[] = Array.from({ length: HOSPITAL.doctors }, (_, i) => ({
  doctorId: `0b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`,
  date: '2026-03-10',
  slotIds: Array.from({ length: 8 }, (_, s) => `5a1b2c3d-0000-4000-8000-${String(i * 8 + s).padStart(12, '0')}`),
}));

async function embedded(): Promise<Case> {
  const tracer = CPU_PROF ? null : fsyncTracer();
  let started;
  try {
    started = await startSqliteDesk(NODE_OPTIONS, tracer?.wrapper ?? []);
  } catch (error) {
    if (tracer) rmSync(tracer.file, { force: true });
    throw error;
  }
  const { server, dataDir, cleanUp } = started;
  try {
    const credentials = await benchCredentials({ kind: 'sqlite', file: join(dataDir, 'opd.sqlite') }, [server.url]);
    progress(`embedded: creating ${LAYOUT.doctors} doctors, ${LAYOUT.doctors * LAYOUT.daysPerDoctor * 8} slots`);
    const days = await createHospital(server.url, LAYOUT);
    const body = (n: number) => realisticBody(days, n);
    const { runs, acknowledged: answered } = await drive('embedded', [server.url], [server.pid], { body, classify: classifyBooking, headers: credentials.bearer }, tracer?.count);
    let acknowledged = answered;
    // The same bookings with each credential, alternating, so that the store's growth weighs on both.
    const auth = { bearer: [] as LoadResult[], cookie: [] as LoadResult[] };
    for (let round = 0; round < AUTH_ROUNDS; round++) {
      for (const kind of ['cookie', 'bearer'] as const) {
        progress(`embedded: ${AUTH_SECONDS} s at 50 connections with a ${kind === 'bearer' ? 'bearer API key' : 'session cookie'}`);
        const result = await load({ targets: [server.url], method: 'POST', path: '/api/tokens', body, classify: classifyBooking, headers: credentials[kind], connections: 50, seconds: AUTH_SECONDS });
        auth[kind].push(result);
        acknowledged += result.statusCodes['201'] ?? 0;
      }
    }
    await server.stop();
    const db = new Database(join(dataDir, 'opd.sqlite'), { readonly: true });
    const stored = db.prepare('SELECT count(*) FROM tokens').pluck().get() as number;
    db.close();
    return { name: 'token desk, embedded SQLite (group commit)', runs, acknowledged, stored, auth };
  } finally {
    await server.stop();
    cleanUp();
    if (tracer) rmSync(tracer.file, { force: true });
  }
}

async function postgres(): Promise<Case> {
  const name = 'token desk, PostgreSQL, 2 servers';
  const database = await createBenchDatabase(ADMIN_URL);
  if ('skipped' in database) return { name, runs: [], acknowledged: 0, stored: null, note: database.skipped };
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first creates the schema, the second finds it there.
    servers.push(await startPostgresDesk(database.url, NODE_OPTIONS));
    servers.push(await startPostgresDesk(database.url, NODE_OPTIONS));
    const credentials = await benchCredentials({ kind: 'postgres', url: database.url }, servers.map((s) => s.url));
    progress(`PostgreSQL: creating ${LAYOUT.doctors} doctors, ${LAYOUT.doctors * LAYOUT.daysPerDoctor * 8} slots`);
    const days = await createHospital(servers[0]!.url, LAYOUT);
    await setClock(servers[1]!.url); // each server has its own manual clock
    const { runs, acknowledged } = await drive(
      'PostgreSQL',
      servers.map((s) => s.url),
      servers.map((s) => s.pid),
      { body: (n) => realisticBody(days, n), classify: classifyBooking, headers: credentials.bearer },
    );
    for (const s of servers) await s.stop();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM tokens');
    await client.end();
    return { name, runs, acknowledged, stored: Number(rows[0]!.n) };
  } finally {
    for (const s of servers) await s.stop();
    await database.drop();
  }
}

interface Ceiling {
  name: string;
  maxGroup: number;
  inFlight: number;
  perSecond: number;
  commitsPerSecond: number;
}

/** Runs bench/http-store-ceiling.ts in its own process (a fresh heap, nothing else running). */
function storeCeilings(): Ceiling[] {
  progress(`storage ceiling: booking-shaped SQLite transactions, ${CEILING_SECONDS} s per case`);
  const text = execFileSync(process.execPath, ['--import', 'tsx', 'bench/http-store-ceiling.ts', String(CEILING_SECONDS)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Ceiling);
}

// ------------------------------------------------------------------ the report

const ms = (n: number) => (n < 1 ? '< 1 ms' : `${formatNumber(n)} ms`);
const cores = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(2));
const perSec = (n: number) => formatNumber(Math.round(n));
const share = (part: number, whole: number) => (Number.isFinite(whole) ? `${((100 * part) / whole).toFixed(0)}%` : '–');

function refusals(r: LoadResult): string {
  const parts = [`${formatNumber(r.non2xx)}`];
  if (r.errors > 0) parts.push(`${formatNumber(r.errors)} socket errors`);
  if (r.timeouts > 0) parts.push(`${formatNumber(r.timeouts)} timeouts`);
  const odd = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'));
  if (odd.length > 0) parts.push(odd.map(([code, n]) => `${formatNumber(n)}× ${code}`).join(', '));
  return parts.join('; ');
}

function best(c: Case | undefined, connections?: number): Run | undefined {
  const runs = c?.runs.filter((r) => connections === undefined || r.connections === connections) ?? [];
  return [...runs].sort((a, b) => b.result.perSecond - a.result.perSecond)[0];
}

async function main(): Promise<void> {
  const started = performance.now();
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.error(`HTTP benchmark: ${SECONDS} s per run${CPU_PROF ? `, CPU profiles in ${CPU_PROF}` : ''}`);
  const skipped = (name: string): Case => ({ name, runs: [], acknowledged: 0, stored: null, note: 'not run (--only)' });
  const bare = wanted('bare') ? await bareFastify() : skipped('bare Fastify route (ceiling)');
  const desk = wanted('embedded') ? await embedded() : skipped('token desk, embedded SQLite (group commit)');
  const pgCase = wanted('postgres') ? await postgres() : skipped('token desk, PostgreSQL, 2 servers');
  const ceilings = wanted('ceiling') ? storeCeilings() : [];
  progress('the access layer on its own: its hooks, 20,000 times per credential');
  const hooks = wanted('embedded') ? await accessHookCost() : [];
  const cases = [desk, pgCase, bare];

  say('# HTTP benchmarks');
  say();
  say(
    `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version} on ${os.platform()} ${os.arch()}; ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at the end. Run with \`npm run bench:http\` (${Math.round((performance.now() - started) / 1000)} s); ` +
      `this section is written by bench/http.bench.ts.`,
  );
  say();
  say(
    `\`POST /api/tokens\` over HTTP/1.1 keep-alive on 127.0.0.1, driven by autocannon 9 in the benchmark's own process ` +
      `(the same machine: the load generator shares the 2 cores with the servers). Each case: a fresh server process ` +
      `(\`node bin/opd.js serve\`, \`OPD_CLOCK=manual\` set before the slots, \`LOG_LEVEL=silent\`), a hospital of ` +
      `${LAYOUT.doctors} doctors × ${LAYOUT.daysPerDoctor} future days × 8 hourly slots of ${LAYOUT.capacity} seats made through the API, ` +
      `a ${WARM_UP_SECONDS} s warm-up at 10 connections, then ${SECONDS} s at ${CONNECTIONS.join(' and ')} connections. ` +
      `Every request is a new patient with a name and a phone number nobody else has, ONLINE into a named slot (not flexible), ` +
      `the doctors taken in turn and each doctor's slots in turn, as the outside load generator of issue 13 sends them; no Idempotency-Key. ` +
      `Requests/s counts 2xx answers over the run; a booking's 201 comes after its commit. Latency is autocannon's ` +
      `(1 ms resolution), over every request of the run.`,
  );
  say();

  const rows: Cell[][] = [];
  for (const c of cases) {
    if (c.runs.length === 0) {
      rows.push([c.name, '–', 'skipped', '–', '–', '–', c.note ?? '']);
      continue;
    }
    for (const r of c.runs) {
      const seated = r.result.classes.seated ?? 0;
      const booked = c === bare ? 'n/a' : `${formatNumber(seated)} seated${r.result.classes.waitlisted ? `, ${formatNumber(r.result.classes.waitlisted)} waitlisted` : ''}`;
      rows.push([c.name, r.connections, perSec(r.result.perSecond), ms(r.result.p50), ms(r.result.p99), refusals(r.result), booked]);
    }
  }
  say(markdownTable(['case', 'connections', 'requests/s', 'p50', 'p99', 'non-2xx', 'bookings'], rows));
  say();
  if (pgCase.runs.length > 0) {
    say(
      'PostgreSQL: two server processes (pool of 5 connections each, the default) on one fresh database, created and dropped by ' +
        'the benchmark; two autocannon instances run at the same time, one per server, each with half the connections ' +
        '(5 + 5, 25 + 25). Requests/s is their sum; p50 and p99 come from their latency histograms merged ' +
        "(autocannon's aggregateResult). Both servers book on every doctor-day, so each often catches up on the other's " +
        `events first. PostgreSQL ${redact(ADMIN_URL).replace(/\/[^/]*$/, '')}, same machine.`,
    );
    say();
  }

  say('Where the machine went (average cores busy during each run, of 2; from /proc):');
  say();
  const machineRows: Cell[][] = [];
  for (const c of cases) {
    for (const r of c.runs) {
      const perFsync = r.fsyncs === null ? 'n/a' : r.fsyncs === 0 ? '–' : (r.result.ok / r.fsyncs).toFixed(1);
      const perRequest = Math.round((1e6 * r.cpu.server) / r.result.perSecond);
      const written = r.cpu.written > 0 && r.result.ok > 0 ? `${(r.cpu.written / r.result.ok / 1024).toFixed(1)} KiB` : 'n/a';
      // PostgreSQL's processes run for the PostgreSQL case only; in the others they idle (and what
      // they do is counted under everything else).
      const isPg = c === pgCase;
      const database = isPg ? cores(r.cpu.database) : '–';
      const databasePerRequest = isPg ? `${formatNumber(Math.round((1e6 * r.cpu.database) / r.result.perSecond))} µs` : '–';
      const rest = isPg ? r.cpu.rest : r.cpu.rest + r.cpu.database;
      machineRows.push([c.name, r.connections, cores(r.cpu.server), `${formatNumber(perRequest)} µs`, database, databasePerRequest, cores(r.cpu.loadGenerator), cores(rest), cores(r.cpu.machine), perFsync, written]);
    }
  }
  say(markdownTable(['case', 'connections', 'server process(es)', 'server CPU per request', 'PostgreSQL', 'PostgreSQL CPU per request', 'load generator', 'everything else', 'machine', 'bookings per fsync', 'written per booking'], machineRows));
  say();
  say(
    'PostgreSQL: the CPU of every process named postgres on this machine during the PostgreSQL runs (its backends, ' +
      'WAL writer, checkpointer…; from /proc). "Everything else" is whatever else ran on this shared machine at the time. ' +
      'Bookings per fsync: the fsync calls of the SQLite server during the run, counted by running it under ' +
      '`strace --seccomp-bpf -e trace=fsync,fdatasync` (only those calls are traced); 1.0 means every booking paid for its own ' +
      'flush, i.e. no group commit. Written per booking: what the server process wrote to storage during the run ' +
      '(/proc/PID/io write_bytes: the WAL and its checkpoints into the database file), per 2xx answer.',
  );
  say();

  say(`Storage ceiling: booking-shaped transactions straight on the SQLite store (no HTTP, no engine), ${CEILING_SECONDS} s each, ` +
    'each one as the desk writes a booking: lock the doctor-day, catch-up read, 3 events, the 8 slot rows of the day, 1 token row; ' +
    'WAL, synchronous=FULL, a fresh file (bench/http-store-ceiling.ts):');
  say();
  say(
    markdownTable(
      ['store', 'maxGroup', 'in flight', 'bookings/s', 'commits/s'],
      ceilings.map((c) => [c.name, c.maxGroup, c.inFlight, perSec(c.perSecond), perSec(c.commitsPerSecond)]),
    ),
  );
  say();

  // ---------------------------------------------------------------- goals and ratios
  const bareBest = (n: number) => best(bare, n)?.result.perSecond ?? Number.NaN;
  const oneCommit = ceilings.find((c) => c.maxGroup === 1 && c.inFlight === 1)?.perSecond ?? Number.NaN;
  const grouped = ceilings.find((c) => c.maxGroup > 1)?.perSecond ?? Number.NaN;
  const ratioRows: Cell[][] = [];
  for (const c of [desk, pgCase]) {
    for (const r of c.runs) {
      ratioRows.push([
        c.name,
        r.connections,
        perSec(r.result.perSecond),
        share(r.result.perSecond, bareBest(r.connections)),
        c === desk && Number.isFinite(oneCommit) ? `${(r.result.perSecond / oneCommit).toFixed(2)}×` : '–',
        c === desk ? share(r.result.perSecond, grouped) : '–',
      ]);
    }
  }
  say('How close to the ceilings:');
  say();
  say(markdownTable(['case', 'connections', 'requests/s', 'of bare Fastify', 'vs one commit per booking', 'of the grouped store'], ratioRows));
  say();

  const deskBest = best(desk);
  const pgBest = best(pgCase);
  const desk50 = best(desk, 50);
  const pg50 = best(pgCase, 50);
  const met = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'yes' : 'NO');
  const embeddedMet = deskBest !== undefined && deskBest.result.perSecond >= GOAL_EMBEDDED && desk50 !== undefined && desk50.result.p99 <= GOAL_P99_MS;
  const postgresRate = pgBest !== undefined && pgBest.result.perSecond >= GOAL_POSTGRES;
  const postgresP99 = pg50 !== undefined && pg50.result.p99 <= GOAL_PG_P99_MS;
  const cpu50 = desk50 ? (1e6 * desk50.cpu.server) / desk50.result.perSecond : undefined;
  say('## Goals');
  say();
  say(
    markdownTable(
      ['goal', 'target', 'measured', 'met'],
      [
        [
          'durable bookings per second, embedded',
          `≥ ${formatNumber(GOAL_EMBEDDED)}`,
          deskBest ? `${perSec(deskBest.result.perSecond)} (${deskBest.connections} connections)` : 'not run',
          met(deskBest && deskBest.result.perSecond >= GOAL_EMBEDDED),
        ],
        [
          'bookings per second, PostgreSQL, 2 servers',
          `≥ ${formatNumber(GOAL_POSTGRES)}`,
          pgBest ? `${perSec(pgBest.result.perSecond)} (${pgBest.connections} connections)` : pgCase.note ?? 'not run',
          met(pgBest && pgBest.result.perSecond >= GOAL_POSTGRES),
        ],
        [
          'server CPU per durable booking, embedded, 50 connections',
          `≤ ${GOAL_CPU_US} µs`,
          cpu50 === undefined ? 'not run' : `${formatNumber(Math.round(cpu50))} µs`,
          met(cpu50 === undefined ? undefined : cpu50 <= GOAL_CPU_US),
        ],
        ['p99 at 50 connections, embedded', `≤ ${GOAL_P99_MS} ms`, desk50 ? ms(desk50.result.p99) : 'not run', met(desk50 && desk50.result.p99 <= GOAL_P99_MS)],
        ['p99 at 50 connections, PostgreSQL', `≤ ${GOAL_PG_P99_MS} ms`, pg50 ? ms(pg50.result.p99) : 'not run', met(pg50 && pg50.result.p99 <= GOAL_PG_P99_MS)],
      ],
    ),
  );
  say();
  for (const c of [desk, pgCase]) {
    if (c.stored === null) continue;
    say(
      `${c.name}: ${formatNumber(c.acknowledged)} bookings answered 201 (warm-up included), ${formatNumber(c.stored)} tokens in the store ` +
        `afterwards${c.stored >= c.acknowledged ? ' (every acknowledged booking is there; a few more were in flight when a run stopped)' : ': FEWER THAN ACKNOWLEDGED'}.`,
    );
  }
  say();
  const auth = authSection(desk, bare, hooks);
  for (const line of httpNotes({ desk, pg: pgCase, bare, ceilings, met: { embedded: embeddedMet, postgresRate, postgresP99 } })) say(line);

  const resultsPath = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  for (const line of auth) console.log(line);
  // Each section is written only by a run that measured it in full (--only bare,embedded renews the
  // http-auth section alone); a quick, profiled or partial run leaves it as it was.
  const written: string[] = [];
  if (auth.length > 0 && measured('http-auth')) {
    writeResultsSection(resultsPath, 'http-auth', auth.join('\n'));
    written.push('http-auth');
  }
  if (measured('http')) {
    writeResultsSection(resultsPath, 'http', out.join('\n'));
    written.push('http');
  }
  if (CPU_PROF) console.error(`\nCPU profiles of the desk servers are in ${CPU_PROF}.`);
  console.error(
    written.length > 0
      ? `\n(wrote the ${written.join(' and ')} section${written.length > 1 ? 's' : ''} of ${resultsPath} in ${Math.round((performance.now() - started) / 1000)} s)`
      : '\nRESULTS.md left as it was.',
  );
}

/** What signing every request costs: the credential runs side by side, and the hooks alone. */
function authSection(desk: Case, bare: Case, hooks: HookCost[]): string[] {
  const lines: string[] = [];
  const add = (text = '') => lines.push(text);
  if (!desk.auth) return lines;
  const mean = (rs: LoadResult[]) => rs.reduce((sum, r) => sum + r.perSecond, 0) / rs.length;
  const bearer = mean(desk.auth.bearer);
  const cookie = mean(desk.auth.cookie);
  const cpuPerRequest = (c: Case) => {
    const r = best(c, 50);
    return r ? (1e6 * r.cpu.server) / r.result.perSecond : Number.NaN;
  };
  const bareCpu = cpuPerRequest(bare);
  const bookingCpu = cpuPerRequest(desk);
  add('# Cost of authentication');
  add();
  add(
    `Written by \`npm run bench:http\` (bench/http-auth.ts) on ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ` +
      `${os.loadavg()[0]!.toFixed(1)} at the end. Every booking of the HTTP benchmark carries an admin API key ` +
      "(`Authorization: Bearer`). Without a cache, each request costs the access layer a SHA-256 of the secret and a read of the key " +
      "(one indexed read; last-used written at most once a minute), or for a session cookie reads of the session and its account, " +
      "then the route's rule. The server keeps a resolved key or session for CREDENTIAL_CACHE_MS (5 s) by default, as in the HTTP runs.",
  );
  add();
  add(
    `The access layer on its own: its onRequest hooks for \`POST /api/tokens\` called in-process 20,000 times after a warm-up, on a ` +
      `SQLite file store, in processor time per request; against the server processor time per request of the HTTP runs at 50 ` +
      `connections (/proc): a bare Fastify request ${formatNumber(Math.round(bareCpu))} µs, an embedded booking ${formatNumber(Math.round(bookingCpu))} µs.`,
  );
  add();
  add(
    markdownTable(
      ['credential', 'CPU µs per request', 'of a bare Fastify request', 'of a booking'],
      hooks.map((h) => [h.name, h.microseconds.toFixed(1), share(h.microseconds, bareCpu), share(h.microseconds, bookingCpu)]),
    ),
  );
  add();
  add(
    `The same bookings at 50 connections with a desk session cookie and with the key (the server's default cache), ${AUTH_ROUNDS} alternating runs ` +
      `of ${AUTH_SECONDS} s each on the embedded server after its runs (wall-clock rates: on a shared machine they vary more between runs than between credentials):`,
  );
  add();
  add(
    markdownTable(
      ['credential', 'runs (requests/s)', 'mean requests/s', 'vs bearer'],
      [
        ['API key (bearer)', desk.auth.bearer.map((r) => perSec(r.perSecond)).join(', '), perSec(bearer), '100%'],
        ['session cookie', desk.auth.cookie.map((r) => perSec(r.perSecond)).join(', '), perSec(cookie), share(cookie, bearer)],
      ],
    ),
  );
  return lines;
}

export type { Case, Ceiling, Run };

await main();
