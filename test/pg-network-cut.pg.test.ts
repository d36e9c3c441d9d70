// A real server process talking to PostgreSQL through a TCP proxy that is cut under load and then
// restored: the process lives, /readyz goes not-ready and back, /healthz stays up, bookings resume,
// and every booking answered 201 is in the log.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { checkDay } from '../src/service/day-check.ts';
import { LIVE, patience, REQUEST_MS } from './kits/patience.ts';
import { baseUrl, createDatabase, sql, type TestDatabase } from './kits/pg-kit.ts';
import { authHeaders, expectStatus, http as request, sleep, startServer, type ServerProcess } from './kits/process-kit.ts';
import { startTcpProxy, type TcpProxy } from './kits/tcp-proxy.ts';

if (!baseUrl) console.log('PostgreSQL network-cut test skipped: set DATABASE_URL=postgres://… to run it');

const DATE = '2026-03-10';
const WORKERS = 8;
/** The cut lasts at least this long, and until /readyz has been asked a few times during it. */
const CUT_MS = 3_000;
const PROBES_IN_CUT = 3;

interface Probe {
  /** When it was asked, and when the answer came (or it gave up). */
  at: number;
  done: number;
  status: number;
  code?: string;
  retryAfter?: string | null;
}

async function get(url: string): Promise<Probe> {
  const at = Date.now();
  try {
    // A probe that gets no answer in time counts as a failure (-1): the limit only allows for a loaded machine.
    const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_MS) });
    const body = (await res.json()) as { code?: string };
    return { at, done: Date.now(), status: res.status, code: body.code, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { at, done: Date.now(), status: -1 };
  }
}

describe.skipIf(!baseUrl)('the network to PostgreSQL cut and restored under load (real process)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess | undefined;
  let store: Store | undefined;

  beforeAll(async () => {
    db = await createDatabase('opd_netcut');
    const target = new URL(db.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startServer({ DATABASE_URL: viaProxy.toString(), OPD_CLOCK: 'manual' }, { name: 'server' });
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('stays alive; /readyz goes 503 and back, /healthz stays 200; bookings resume; nothing answered is lost', async () => {
    const s = server!;
    await expectStatus(s, 'PUT', '/api/clock', { now: `${DATE}T08:00:00+05:30` }, 200);
    const doctor = await expectStatus(s, 'POST', '/api/doctors', { name: 'Dr Cut', department: 'General Medicine', code: 'CUT' }, 201);
    await expectStatus(s, 'POST', '/api/slots', { doctorId: doctor.id, start: `${DATE}T10:00:00+05:30`, end: `${DATE}T11:00:00+05:30`, capacity: 1000 }, 201);

    // A live feed open across the cut: it must stay open and carry on with the events after it.
    const fed = new Set<string>();
    let feedEnded = false;
    const feed = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get(`${s.url}/api/events`, { agent: false, headers: authHeaders(s.url) }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`feed answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/"tokenId":"([^"]+)"/g)) fed.add(m[1]!);
        });
        res.on('end', () => (feedEnded = true));
        res.on('error', () => (feedEnded = true));
        resolve(req);
      });
      req.on('error', reject);
    });
    const probes: { ready: Probe[]; health: Probe[] } = { ready: [], health: [] };
    const booked: { at: number; id: string; number: string }[] = [];
    const refused: Probe[] = [];
    const others: unknown[] = [];
    let running = true;
    let cutAt = 0;
    let restoredAt = 0;

    // Each probe on its own: a slow answer of one does not hold up the other.
    const probe = async (path: string, into: Probe[]) => {
      while (running) {
        into.push(await get(`${s.url}${path}`));
        await sleep(100);
      }
    };
    const probing = Promise.all([probe('/readyz', probes.ready), probe('/healthz', probes.health)]);
    const load = Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let i = 0; running; i++) {
          const key = `cut-${w}-${i}`;
          const body = { doctorId: doctor.id, source: 'WALKIN', patient: { name: `Patient ${w}-${i}` }, date: DATE };
          // Each booking is retried with its key until it is answered: a 503 never loses it.
          for (let tries = 0; tries < 200; tries++) {
            const at = Date.now();
            const res = await fetch(`${s.url}/api/tokens`, {
              method: 'POST',
              headers: { ...authHeaders(s.url), 'content-type': 'application/json', 'idempotency-key': key },
              body: JSON.stringify(body),
              signal: AbortSignal.timeout(patience(30_000)),
            }).catch((err: Error) => err);
            if (res instanceof Error) {
              others.push(String(res.cause ?? res));
              return;
            }
            const answer = (await res.json()) as { id: string; number: string; code?: string };
            if (res.status === 201) {
              booked.push({ at: Date.now(), id: answer.id, number: answer.number });
              break;
            }
            if (res.status === 503 && answer.code === 'DATABASE_UNAVAILABLE' && Number(res.headers.get('retry-after')) > 0) {
              refused.push({ at, done: Date.now(), status: 503, code: answer.code });
              await sleep(100);
              continue;
            }
            others.push({ status: res.status, answer });
            return;
          }
        }
      }),
    );

    // Bookings are going through before the cut (or a worker stopped: reported below).
    await expect.poll(() => others.length > 0 || booked.length >= 20, LIVE).toBe(true);
    cutAt = Date.now();
    proxy.cut();
    await sleep(CUT_MS);
    // On a loaded machine the probes are slow: the cut lasts until /readyz was asked and answered during it.
    const askedInCut = () => probes.ready.filter((p) => p.at > cutAt + 500).length;
    await expect.poll(askedInCut, { timeout: patience(30_000), interval: 100 }).toBeGreaterThanOrEqual(PROBES_IN_CUT);
    proxy.restore();
    restoredAt = Date.now();
    // Bookings resume: wait (bounded) for some answered after the restore, or for a worker that stopped.
    const resumed = () => others.length > 0 || booked.filter((b) => b.at > restoredAt).length >= 20;
    await expect.poll(resumed, { timeout: patience(30_000), interval: 100 }).toBe(true);
    // …and /readyz says so again.
    await expect.poll(() => probes.ready.some((p) => p.at > restoredAt && p.status === 200), { timeout: patience(30_000), interval: 100 }).toBe(true);
    running = false;
    await Promise.all([load, probing]);

    const gone = await Promise.race([s.exited, sleep(200).then(() => null)]);
    if (gone) throw new Error(`the server exited (${JSON.stringify(gone)})\n--- its output ---\n${s.output()}`);
    expect(others, `answers other than 201 or 503 with Retry-After\n--- server output ---\n${s.output()}`).toEqual([]);

    // Asked and answered within the cut (one asked during it but answered after the restore may have
    // reached the database after the restore: a loaded machine can take seconds to serve it).
    const during = probes.ready.filter((p) => p.at > cutAt + 500 && p.done < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((p) => !(p.status === 503 && p.code === 'DATABASE_UNAVAILABLE' && Number(p.retryAfter) > 0)), 'readyz during the cut').toEqual([]);
    expect(probes.health.filter((p) => p.status !== 200), 'healthz').toEqual([]);
    const afterRestore = booked.filter((b) => b.at > restoredAt);
    expect(afterRestore.length).toBeGreaterThanOrEqual(20);
    const firstReady = probes.ready.find((p) => p.at > restoredAt && p.status === 200);
    // Back: ready again after the restore (a later probe may still say 503 when the machine is so busy
    // that the database's answer takes longer than the readiness limit, which is what /readyz is for).
    expect(firstReady, 'readyz after the restore').toBeDefined();
    // The feed stayed open and has every booking answered after the cut (given a few seconds).
    await expect.poll(() => afterRestore.filter((b) => !fed.has(b.id)), LIVE).toEqual([]);
    expect(feedEnded, `the feed ended\n--- server output ---\n${s.output()}`).toBe(false);
    feed.destroy();
    console.log(
      `network cut for ${restoredAt - cutAt} ms: ${refused.length} answers 503 DATABASE_UNAVAILABLE (all retried with their keys), ${booked.length} bookings 201; ` +
        `first booking ${Math.min(...afterRestore.map((b) => b.at)) - restoredAt} ms and /readyz 200 ${firstReady ? firstReady.at - restoredAt : '?'} ms after the restore`,
    );

    // Every booking answered 201 is in the log, once; the log replays to a sound day.
    store = await openStore({ kind: 'postgres', url: db.url });
    const { day: checked, problems } = await checkDay(store, { doctorId: doctor.id, date: DATE }, { timeZone: 'Asia/Kolkata' });
    const day = checked!;
    expect(problems).toEqual([]);
    expect(day.tokens.size).toBe(booked.length);
    for (const b of booked) expect(day.tokens.get(b.id)?.label).toBe(b.number);
  });

  it('answers a commit whose answer was lost as uncertain, and the retry with its key gives the first answer', async () => {
    const s = server!;
    const [doctor] = (await expectStatus(s, 'GET', '/api/doctors', undefined, 200)) as { id: string; code: string }[];
    const body = { doctorId: doctor!.id, source: 'WALKIN', patient: { name: 'Lost answer', id: 'LOST-1' }, date: DATE };
    const send = async () => {
      const res = await fetch(`${s.url}/api/tokens`, {
        method: 'POST',
        headers: { ...authHeaders(s.url), 'content-type': 'application/json', 'idempotency-key': 'lost-answer-1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(patience(30_000)),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string; outcome?: string; id?: string; number?: string } };
    };
    // The message carrying the booking's writes and COMMIT reaches PostgreSQL; its answer never comes back.
    const sprung = proxy.cutAfter((text) => text.includes('EXECUTE opd_tx_append') && text.includes('COMMIT'));
    const first = await send();
    await sprung;
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(first.body.outcome).toBe('unknown');
    expect(Number(first.retryAfter)).toBeGreaterThan(0);
    // PostgreSQL did commit it (the whole message arrived): the token is there before any retry…
    const committed = await sql(db.url, (c) => c.query<{ id: string }>("SELECT token_id AS id FROM patients WHERE patient_id = 'LOST-1'"));
    expect(committed.rows).toHaveLength(1);
    // …and the retry with the same key answers that booking, and books nothing more.
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(committed.rows[0]!.id);
    store ??= await openStore({ kind: 'postgres', url: db.url });
    const { day: checked, problems } = await checkDay(store, { doctorId: doctor!.id, date: DATE }, { timeZone: 'Asia/Kolkata' });
    const day = checked!;
    expect(problems).toEqual([]);
    const ids = new Map((await store.personal.ofDay({ doctorId: doctor!.id, date: DATE })).map((r) => [r.tokenId, r.patientId]));
    const lost = [...day.tokens.values()].filter((t) => ids.get(t.id) === 'LOST-1');
    expect(lost.map((t) => t.id)).toEqual([again.body.id]);
    const third = await send();
    expect(third.body).toEqual(again.body);
  });

  it('answers 503, not 500, when a credential must be looked up while the network is cut', async () => {
    // A key used for the first time is in no cache: the server must read it from the database. (All
    // bookers share one key, kept for a few seconds: when that lapsed during a cut, every booking in
    // flight was answered 500.)
    const s = server!;
    const made = await expectStatus(s, 'POST', '/api/api-keys', { name: 'First used in the cut', role: 'desk', doctorIds: 'all' }, 201);
    const asNewKey = () => request(s.url, 'GET', '/api/doctors', undefined, REQUEST_MS, { authorization: `Bearer ${made.secret}` });
    proxy.cut();
    const during = await asNewKey().finally(() => proxy.restore());
    expect({ status: during.status, code: during.body.code }, JSON.stringify(during.body)).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    await expect.poll(async () => (await asNewKey()).status, LIVE).toBe(200);
  });
});
