// Helpers for the API tests: the real desk on an in-memory SQLite store, a manual clock at 08:00 in
// Kolkata on 10 March 2026, and a small doctor-day to work on.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import { startDeskTicks } from '../service/tick-timer.ts';
import { createTokenDesk } from '../service/token-desk.ts';
import { ManualClock, SYSTEM_CLOCK } from '../time/clock.ts';
import type { Doctor, Slot, TokenDesk } from '../service/types.ts';
import { openStore } from '../store/open-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import type { Store } from '../store/store.ts';
import { buildApp, type AppOptions } from './app.ts';
import { OpdMetrics } from './metrics.ts';

export const DAY = '2026-03-10';
export const T0 = '2026-03-10T08:00:00+05:30';
export const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;

export interface Harness {
  sut: FastifyInstance;
  desk: TokenDesk;
  store: Store;
  /** What the store, the desk and the app report to (served at /metrics). */
  metrics: OpdMetrics;
  close(): Promise<void>;
}

export async function harness(
  opts: { clock?: 'manual' | 'system'; feed?: AppOptions['feed']; webRoot?: string; timeouts?: AppOptions['timeouts']; store?: () => Promise<Store> } = {},
): Promise<Harness> {
  const metrics = new OpdMetrics();
  const store = await (opts.store ?? (() => openStore({ kind: 'sqlite', file: ':memory:' }, { metrics })))();
  const manual = (opts.clock ?? 'manual') === 'manual';
  const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: manual ? new ManualClock(new Date(T0)) : SYSTEM_CLOCK, metrics });
  // As the server does: the system clock ticks on a timer; the manual one when it is set.
  const stopTicks = manual ? () => {} : startDeskTicks(desk, { observer: metrics, onError: () => {} });
  const sut = buildApp({ desk, feed: opts.feed, webRoot: opts.webRoot, metrics, timeouts: opts.timeouts });
  await sut.ready();
  let closing: Promise<void> | undefined;
  return {
    sut,
    desk,
    store,
    metrics,
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

/** One JSON request through `inject`; the answer parsed when it is JSON. */
export async function call(sut: FastifyInstance, method: InjectOptions['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await sut.inject({
    method,
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, type, body: /json/.test(type) ? res.json() : res.body, headers: res.headers };
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
 * A PostgreSQL store in a fresh schema of its own, migrated; closing it drops the schema, so other
 * tests on the same server never see it.
 */
export async function freshPostgresStore(url: string): Promise<Store> {
  const schema = `opd_test_api_${randomBytes(5).toString('hex')}`;
  const store = openPostgresStore(url, { schema });
  await store.migrate();
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  };
  return store;
}
