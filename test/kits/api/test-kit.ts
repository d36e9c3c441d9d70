// Helpers for the API tests: the real desk on an in-memory SQLite store, a manual clock at 08:00 in
// Kolkata on 10 March 2026, and a small doctor-day to work on. Every request through `h.sut.inject`
// carries an admin's API key unless it brings its own `authorization` or `cookie` header; `h.as(role)`
// gives a client of another identity, and `h.as('none')` one that sends no credentials.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AccessService } from '../../../src/access/access-service.ts';
import { scryptHasher, type ScryptParams } from '../../../src/access/passwords.ts';
import type { Role } from '../../../src/access/roles.ts';
import pg from 'pg';
import { startDeskTicks, startRetention } from '../../../src/service/tick-timer.ts';
import { createTokenDesk } from '../../../src/service/token-desk.ts';
import { PatientDesk } from '../../../src/service/patient-desk.ts';
import { ManualClock, SYSTEM_CLOCK } from '../../../src/time/clock.ts';
import type { Doctor, Slot, TokenDesk } from '../../../src/service/types.ts';
import { openStore } from '../../../src/store/open-store.ts';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { buildApp, type AppOptions } from '../../../src/api/app.ts';
import { OpdMetrics } from '../../../src/api/metrics.ts';

export const DAY = '2026-03-10';
export const T0 = '2026-03-10T08:00:00+05:30';
export const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;

/** Cheap scrypt for tests (the real cost is DEFAULT_SCRYPT): a sign-in takes about a millisecond. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** Who a test client is: a role (a doctor and a display bound to some doctors), or no credentials. */
export type As = Role | 'none';

/** A client of one identity: its requests carry its credential (none for `none`). */
export interface Client {
  /** The headers that carry the credential ({} for `none`). */
  headers: Record<string, string>;
  call(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export interface Harness {
  sut: FastifyInstance;
  desk: TokenDesk;
  store: Store;
  access: AccessService;
  /** The patients' pages and slips (public codes). */
  patients: PatientDesk;
  /** What the store, the desk and the app report to (served at /metrics). */
  metrics: OpdMetrics;
  /** The admin API key every request carries by default, as headers (for fetch and http). */
  adminHeaders: Record<string, string>;
  /** That key's id: the actor id its requests are recorded under. */
  adminKeyId: string;
  /** A client as `who`: an API key of that role (doctor and display bound to `doctorIds`), or none. */
  as(who: As, doctorIds?: string[]): Promise<Client>;
  /** A staff session of a new account of that role, as the cookie header a browser would send. */
  sessionCookie(role: Role, doctorIds?: string[]): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  clock?: 'manual' | 'system';
  feed?: AppOptions['feed'];
  webRoot?: string;
  timeouts?: AppOptions['timeouts'];
  store?: () => Promise<Store>;
  trustProxy?: boolean;
  credentialCacheMs?: number;
  idleMinutes?: number;
}

let accounts = 0;

export async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const metrics = new OpdMetrics();
  const store = await (opts.store ?? (() => openStore({ kind: 'sqlite', file: ':memory:' }, { metrics })))();
  const manual = (opts.clock ?? 'manual') === 'manual';
  const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: manual ? new ManualClock(new Date(T0)) : SYSTEM_CLOCK, metrics });
  // As the server does: the system clock ticks on a timer; the manual one when it is set.
  const stopClockWork = manual ? () => {} : startDeskTicks(desk, { observer: metrics, onError: () => {} });
  // As the server does: personal data past its retention is erased at start and then hourly.
  const stopRetention = startRetention(desk, { onError: () => {} });
  const stopTicks = () => {
    stopClockWork();
    stopRetention();
  };
  const access = new AccessService(store.access, { clock: { now: () => desk.now() }, passwords: scryptHasher(TEST_SCRYPT), idleMinutes: opts.idleMinutes });
  const patients = await PatientDesk.open(desk, store.settings);
  const sut = buildApp({
    desk,
    access,
    patients,
    feed: opts.feed,
    webRoot: opts.webRoot,
    metrics,
    timeouts: opts.timeouts,
    trustProxy: opts.trustProxy,
    // No cache unless a test asks for one: a revocation shows at once.
    credentialCacheMs: opts.credentialCacheMs ?? 0,
  });
  await sut.ready();
  const admin = await access.createApiKey({ name: 'test admin', role: 'admin', doctorIds: 'all' });
  const adminHeaders = { authorization: `Bearer ${admin.secret}` };
  const inject = withDefaultHeaders(sut, adminHeaders);
  const as = async (who: As, doctorIds?: string[]): Promise<Client> => {
    let headers: Record<string, string> = {};
    if (who !== 'none') {
      const scope = who === 'doctor' || who === 'display' ? (doctorIds ?? []) : 'all';
      const { secret } = await access.createApiKey({ name: `test ${who}`, role: who, doctorIds: scope });
      headers = { authorization: `Bearer ${secret}` };
    }
    return { headers, call: (method, url, body, more = {}) => callWith(inject, method, url, body, { ...headers, ...more }, who === 'none') };
  };
  const sessionCookie = async (role: Role, doctorIds?: string[]): Promise<string> => {
    accounts++;
    const password = 'test-password-1';
    const username = `${role}-${accounts}`;
    const scope = role === 'doctor' || role === 'display' ? (doctorIds ?? []) : 'all';
    await access.createAccount({ username, displayName: `Test ${role} ${accounts}`, role, doctorIds: scope, password });
    const { secret } = await access.signIn(username, password);
    return `opd_session=${secret}`;
  };
  let closing: Promise<void> | undefined;
  return {
    sut,
    desk,
    store,
    access,
    patients,
    metrics,
    adminHeaders,
    adminKeyId: admin.key.id,
    as,
    sessionCookie,
    close() {
      closing ??= (async () => {
        await sut.close();
        stopTicks();
        await desk.close();
        await store.close();
      })();
      return closing;
    },
  };
}

export interface Answer {
  status: number;
  type: string;
  // Tests read answers freely; the shapes are asserted where it matters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, unknown>;
}

/** The marker header by which a test asks `inject` to leave out the default credentials. */
const NO_DEFAULT = 'x-test-no-default-credentials';

type Inject = (opts: InjectOptions) => Promise<LightMyRequestResponse>;

/**
 * Wraps `app.inject` so a request without `authorization` or `cookie` carries `defaults` (the admin's
 * key): the suites written before accounts keep testing what they test. The wrapped function is what
 * `sut.inject` is afterwards.
 */
export function withDefaultHeaders(app: FastifyInstance, defaults: Record<string, string>): Inject {
  const raw = app.inject.bind(app) as Inject;
  const wrapped: Inject = (opts) => {
    const headers = { ...(opts.headers as Record<string, string> | undefined) };
    if (NO_DEFAULT in headers) delete headers[NO_DEFAULT];
    else if (!('authorization' in headers) && !('cookie' in headers)) Object.assign(headers, defaults);
    return raw({ ...opts, headers });
  };
  (app as unknown as { inject: Inject }).inject = wrapped;
  return wrapped;
}

async function callWith(inject: Inject, method: InjectOptions['method'], url: string, body: unknown, headers: Record<string, string>, anonymous: boolean): Promise<Answer> {
  const all = body === undefined ? { ...headers } : { 'content-type': 'application/json', ...headers };
  const res = await inject({
    method,
    url,
    headers: anonymous ? { ...all, [NO_DEFAULT]: '1' } : all,
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, type, body: /json/.test(type) ? res.json() : res.body, headers: res.headers };
}

/** One JSON request through `inject` (as the harness's admin unless `headers` bring a credential); the answer parsed when it is JSON. */
export async function call(sut: FastifyInstance, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return callWith((opts) => sut.inject(opts), method, url, body, headers, false);
}

/** The same without any credentials: what a signed-out caller gets. */
export async function callAnonymous(sut: FastifyInstance, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return callWith((opts) => sut.inject(opts), method, url, body, headers, true);
}

export interface Day {
  doctor: Doctor;
  /** 09:00–10:00 and 10:00–11:00, capacity 2 each */
  slots: [Slot, Slot];
}

export async function seedDay(sut: FastifyInstance, code = 'GM'): Promise<Day> {
  const doctor = await call(sut, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code });
  if (doctor.status !== 201) throw new Error(`seed doctor: ${doctor.status} ${JSON.stringify(doctor.body)}`);
  const slots: Slot[] = [];
  for (const [start, end] of [
    ['09:00', '10:00'],
    ['10:00', '11:00'],
  ] as const) {
    const slot = await call(sut, 'POST', '/api/slots', { doctorId: doctor.body.id, start: at(start), end: at(end), capacity: 2 });
    if (slot.status !== 201) throw new Error(`seed slot: ${slot.status} ${JSON.stringify(slot.body)}`);
    slots.push(slot.body);
  }
  return { doctor: doctor.body, slots: slots as [Slot, Slot] };
}

let patients = 0;
/** A new patient each time, so that duplicates are only found where a test means them. */
export function patient(name = 'Ravi Kumar') {
  patients++;
  return { name: `${name} ${patients}`, id: `P-${patients}`, phone: `+91 98450 ${String(10000 + patients).slice(-5)}` };
}

/** DATABASE_URL when it names PostgreSQL: the `*.pg.test.ts` files run only then. */
export const PG_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;

/**
 * A fresh schema of its own on a PostgreSQL server, migrated: its store, a way to open another store
 * on the same schema (a second server), and `close`, which closes the first store and drops the
 * schema, so other tests on the same server never see it.
 */
export async function freshPostgresSchema(url: string, name = 'api'): Promise<{ store: Store; another: () => Promise<Store>; close: () => Promise<void> }> {
  const schema = `opd_test_${name}_${randomBytes(5).toString('hex')}`;
  const store = openPostgresStore(url, { schema });
  await store.migrate();
  const closeStore = store.close.bind(store);
  return {
    store,
    another: async () => openPostgresStore(url, { schema }),
    close: async () => {
      await closeStore();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A PostgreSQL store in a fresh schema of its own (freshPostgresSchema); closing it drops the schema. */
export async function freshPostgresStore(url: string): Promise<Store> {
  const { store, close } = await freshPostgresSchema(url);
  store.close = close;
  return store;
}
