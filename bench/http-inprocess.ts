// Processor time per booking in one process, without sockets: steadier than requests per second on a
// shared machine. The same bookings (bench/http-api.ts's realistic workload) are made three ways on
// fresh embedded SQLite stores (a file, group commit, as the server):
//   - http: through the whole app with `app.inject` (routing, access hooks, validation, metrics,
//     the handler, serialization; everything of Fastify but the socket and the HTTP parser);
//   - desk: straight into `desk.issueToken` with the body already parsed (the service and the store);
//   - layer: through the whole app with `app.inject`, but the desk's issueToken answers at once with a
//     copy of a real booking's answer (new id each): the HTTP layer alone, without the noise of the store;
//   - bare: an app with one schemaless route answering a small JSON, through `app.inject` (the floor
//     of the inject path itself).
// So http − desk is what the HTTP layer costs a booking, and http − desk − bare what our own code in
// it (schemas, hooks, serialization) costs above Fastify's.
//
//   node --import tsx bench/http-inprocess.ts [--bookings N] [--rounds R] [--only http,desk,bare] [--memory] [--cpu-prof DIR]
//
// Each case books N (default 10,000) new patients with 50 requests in flight, R rounds (default 3)
// alternating the cases, each round on fresh stores; prints µs of CPU (user + system, process.cpuUsage)
// per booking for each round. With --cpu-prof, profiles the last http round (its table: bench/http-profile.ts).
// Run as its own process: `node --import tsx bench/http-inprocess.ts`; it prints JSON lines when
// called with --json (bench/http.bench.ts does that).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { AccessService } from '../src/access/access-service.ts';
import type { Actor } from '../src/access/types.ts';
import { buildApp } from '../src/api/app.ts';
import { OpdMetrics } from '../src/api/metrics.ts';
import { PatientDesk } from '../src/service/patient-desk.ts';
import { openTokenDesk } from '../src/service/token-desk.ts';
import type { IssueTokenInput, TokenDesk } from '../src/service/types.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';
import { bookingBody, CLOCK, HOSPITAL, realisticBody, type DoctorDay } from './http-api.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const BOOKINGS = Number(option('--bookings') ?? 10_000);
const ROUNDS = Number(option('--rounds') ?? 3);
const IN_FLIGHT = 50;
const ONLY = option('--only')?.split(',') ?? ['http', 'desk', 'layer', 'bare'];
/** The server's LOG_LEVEL (the benchmark's servers run silent; `opd serve` logs at info by default). */
const LOG_LEVEL = option('--log-level') ?? 'silent';
/**
 * --workload old: the benchmark's former workload (4 days per doctor of 150-seat slots, every other
 * booking a walk-in, the others online and flexible) instead of the realistic one.
 */
const OLD = option('--workload') === 'old';
const DAYS_PER_DOCTOR = OLD ? 4 : 1;
const CAPACITY = OLD ? 150 : HOSPITAL.capacity;
const body = (days: readonly DoctorDay[], i: number) => (OLD ? bookingBody(days, i) : realisticBody(days, i));
const CPU_PROF = option('--cpu-prof');
const JSON_OUT = args.includes('--json');
/** --memory: SQLite in memory (no fsync: a profile then shows processor time only). */
const MEMORY = args.includes('--memory');

interface Setup {
  desk: TokenDesk;
  app: FastifyInstance;
  /** When set, the app's desk answers issueToken with it instead of booking. */
  stub: { issueToken?: TokenDesk['issueToken'] };
  actor: Actor;
  bearer: Record<string, string>;
  days: DoctorDay[];
  close(): Promise<void>;
}

/** A fresh embedded store, desk and app as `opd serve` builds them, with the benchmark's hospital made through the desk. */
async function setUp(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'opd-inprocess-'));
  const metrics = new OpdMetrics();
  const store: Store = await openStore({ kind: 'sqlite', file: MEMORY ? ':memory:' : join(dir, 'opd.sqlite') }, { metrics });
  const clock = new ManualClock(new Date(CLOCK));
  const desk = await openTokenDesk({ store, timeZone: 'Asia/Kolkata', clock, metrics });
  const access = new AccessService(store.access, { clock: { now: () => desk.now() } });
  const patients = await PatientDesk.open(desk, store.settings);
  // As the server with LOG_LEVEL=silent.
  const stub: Setup['stub'] = {};
  const appDesk = new Proxy(desk, {
    get(target, name) {
      if (name === 'issueToken' && stub.issueToken) return stub.issueToken;
      const value = Reflect.get(target, name, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const app = buildApp({ desk: appDesk, access, patients, metrics, logger: { level: LOG_LEVEL } });
  await app.ready();
  const { secret } = await access.createApiKey({ name: 'bench', role: 'admin', doctorIds: 'all' });
  const actor = (await access.resolveApiKey(secret))!;
  const bearer = { authorization: `Bearer ${secret}` };
  const days: DoctorDay[] = [];
  const ctx = { actor, requestId: 'setup' };
  const doctorIds: string[] = [];
  for (let d = 0; d < HOSPITAL.doctors; d++) {
    const doctor = await desk.createDoctor({ name: `Bench Doctor ${d}`, department: 'General Medicine', code: `B${String.fromCharCode(65 + Math.floor(d / 26))}${String.fromCharCode(65 + (d % 26))}` }, ctx);
    doctorIds.push(doctor.id);
  }
  // Day by day, as http-api.ts's createHospital orders them.
  for (let day = 0; day < DAYS_PER_DOCTOR; day++) {
    const date = new Date(Date.parse(`${HOSPITAL.date}T00:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);
    for (const doctorId of doctorIds) {
      const slotIds: string[] = [];
      for (const hour of HOSPITAL.hours) {
        const hh = String(hour).padStart(2, '0');
        const end = String(hour + 1).padStart(2, '0');
        const slot = await desk.createSlot({ doctorId, start: `${date}T${hh}:00:00+05:30`, end: `${date}T${end}:00:00+05:30`, capacity: CAPACITY }, ctx);
        slotIds.push(slot.id);
      }
      days.push({ doctorId, date, slotIds });
    }
  }
  return {
    desk,
    app,
    stub,
    actor,
    bearer,
    days,
    close: async () => {
      await app.close();
      await desk.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `one(i)` for i in [0, n) with IN_FLIGHT at a time; returns µs of CPU per call. */
async function measure(n: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < n) await one(next++);
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

function expect201(status: number, body: string): void {
  if (status !== 201) throw new Error(`bench: a booking answered ${status}: ${body}`);
}

/** Runs `work` under V8's sampling profiler when `file` is given (one sample every 250 µs), writing the profile there. */
async function withProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  return result;
}

async function httpCase(s: Setup, profile?: string): Promise<number> {
  const headers = { 'content-type': 'application/json', ...s.bearer };
  return withProfile(profile, () =>
    measure(BOOKINGS, async (i) => {
      const res = await s.app.inject({ method: 'POST', url: '/api/tokens', headers, payload: body(s.days, i) });
      expect201(res.statusCode, res.body);
    }),
  );
}

/** The HTTP layer alone: one real booking, then its answer (a new id each time) for every request. */
async function layerCase(s: Setup): Promise<number> {
  const template = await s.desk.issueToken(JSON.parse(body(s.days, 0)) as IssueTokenInput, { actor: s.actor, requestId: 'template' });
  let n = 0;
  s.stub.issueToken = async (input) => ({ ...template, id: `${template.id.slice(0, 24)}${String(++n).padStart(12, '0')}`, patient: { ...input.patient } });
  const headers = { 'content-type': 'application/json', ...s.bearer };
  return measure(BOOKINGS, async (i) => {
    const res = await s.app.inject({ method: 'POST', url: '/api/tokens', headers, payload: body(s.days, i + 1) });
    expect201(res.statusCode, res.body);
  });
}

async function deskCase(s: Setup): Promise<number> {
  const { actor } = s;
  return measure(BOOKINGS, async (i) => {
    const input = JSON.parse(body(s.days, i)) as IssueTokenInput;
    await s.desk.issueToken(input, { actor, requestId: `r${i}` });
  });
}

/** Fastify's own inject path with a schemaless route: what any booking through inject costs at least. */
async function bareCase(): Promise<number> {
  const app = Fastify({ logger: false });
  let issued = 0;
  app.post('/api/tokens', async (request, reply) => {
    const body = request.body as { doctorId?: string };
    return reply.code(201).send({ id: String(++issued), doctorId: body.doctorId ?? null, status: 'ALLOCATED' });
  });
  await app.ready();
  const days: DoctorDay[] = [{ doctorId: '0b1c2d3e-0000-4000-8000-000000000000', date: HOSPITAL.date, slotIds: Array.from({ length: 8 }, (_, s) => `5a1b2c3d-0000-4000-8000-00000000000${s}`) }];
  const us = await measure(BOOKINGS, async (i) => {
    const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: { 'content-type': 'application/json' }, payload: realisticBody(days, i) });
    expect201(res.statusCode, res.body);
  });
  await app.close();
  return us;
}

export interface InProcessResult {
  case: 'http' | 'desk' | 'layer' | 'bare';
  round: number;
  microseconds: number;
}

const results: InProcessResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const name of ['http', 'desk', 'layer', 'bare'] as const) {
    if (!ONLY.includes(name)) continue;
    let us: number;
    if (name === 'bare') us = await bareCase();
    else {
      const s = await setUp();
      try {
        global.gc?.();
        const profile = CPU_PROF && round === ROUNDS - 1 ? join(CPU_PROF, `inprocess-${name}-${Date.now()}.cpuprofile`) : undefined;
        us = name === 'http' ? await httpCase(s, profile) : name === 'layer' ? await withProfile(profile, () => layerCase(s)) : await deskCase(s);
      } finally {
        await s.close();
      }
    }
    const r: InProcessResult = { case: name, round, microseconds: us };
    results.push(r);
    if (JSON_OUT) console.log(JSON.stringify(r));
    else console.error(`round ${round + 1}: ${name.padEnd(4)} ${us.toFixed(1)} µs CPU per booking`);
  }
}
if (!JSON_OUT) {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const of = (name: string) => {
    const xs = results.filter((r) => r.case === name).map((r) => r.microseconds);
    return xs.length > 0 ? median(xs) : Number.NaN;
  };
  console.error(`medians: http ${of('http').toFixed(1)}, desk ${of('desk').toFixed(1)}, layer ${of('layer').toFixed(1)}, bare ${of('bare').toFixed(1)} µs; http − desk ${(of('http') - of('desk')).toFixed(1)} µs`);
}
