// SPEC 11, role × route: every operation of the OpenAPI document, as each role and without
// credentials. The expectations are written here BY HAND from SPEC 11's table (never read from ROUTES
// or ROLE_TABLE); an operation the document has and this table lacks fails the test. A refused
// request changes nothing: the event log and the access tables are the same before and after.
// Run on both stores (matrix.test.ts, matrix.pg.test.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../../src/store/store.ts';
import { at, harness, patient, seedDay, type Client, type Day, type Harness } from '../../../kits/api/test-kit.ts';

/** `ok`: let through and done (2xx); 401; 403; 409: let through, and refused by the service (the set-up is closed). */
type Expect = 'ok' | 401 | 403 | 409;
/** admin, desk, doctor of doctor A, doctor of doctor B (asking about A), display of A, nobody. */
type Row = [admin: Expect, desk: Expect, ownDoctor: Expect, otherDoctor: Expect, display: Expect, none: Expect];
const WHO = ['admin', 'desk', 'ownDoctor', 'otherDoctor', 'display', 'none'] as const;

const U = 401;
const F = 403;
const HAND_TABLE: Record<string, Row> = {
  // doctors: the admin manages them; every staff role reads the list
  createDoctor: ['ok', F, F, F, F, U],
  listDoctors: ['ok', 'ok', 'ok', 'ok', F, U],
  getDoctor: ['ok', 'ok', 'ok', 'ok', F, U],
  setDoctorPolicy: ['ok', F, F, F, F, U],
  updateDoctor: ['ok', F, F, F, F, U],
  // the weekly rota, leave and holidays: every staff role reads them; the admin changes them
  getRota: ['ok', 'ok', 'ok', 'ok', F, U],
  setRota: ['ok', F, F, F, F, U],
  applyRota: ['ok', F, F, F, F, U],
  listClosedDates: ['ok', 'ok', 'ok', 'ok', F, U],
  closeDate: ['ok', F, F, F, F, U],
  reopenDate: ['ok', F, F, F, F, U],
  // doctor-days: the desk reads all, a doctor its own
  getSchedule: ['ok', 'ok', 'ok', F, F, U],
  callNext: ['ok', F, 'ok', F, F, U],
  reportDelay: ['ok', F, 'ok', F, F, U],
  // slots: the admin's
  createSlot: ['ok', F, F, F, F, U],
  getSlot: ['ok', 'ok', 'ok', F, F, U],
  changeSlotCapacity: ['ok', F, F, F, F, U],
  // tokens: the desk issues, checks in, cancels, marks no-shows; the doctor completes and skips its own
  issueToken: ['ok', 'ok', F, F, F, U],
  getToken: ['ok', 'ok', 'ok', F, F, U],
  getTokenHistory: ['ok', 'ok', 'ok', F, F, U],
  cancelToken: ['ok', 'ok', F, F, F, U],
  markTokenNoShow: ['ok', 'ok', F, F, F, U],
  checkInToken: ['ok', 'ok', F, F, F, U],
  transferToken: ['ok', 'ok', F, F, F, U],
  completeToken: ['ok', F, 'ok', F, F, U],
  skipToken: ['ok', F, 'ok', F, F, U],
  // screens and feeds: every identity, each its own doctors (the other doctor sees an empty board)
  getBoard: ['ok', 'ok', 'ok', 'ok', 'ok', U],
  streamEvents: ['ok', 'ok', 'ok', 'ok', 'ok', U],
  getClock: ['ok', 'ok', 'ok', 'ok', 'ok', U],
  setClock: ['ok', F, F, F, F, U],
  // the session: signing in is public; who-am-I answers every identity; a board has no session to end
  signIn: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  getSession: ['ok', 'ok', 'ok', 'ok', 'ok', U],
  signOut: ['ok', 'ok', 'ok', 'ok', F, U],
  // the first-run set-up is public; once an admin exists, completing it is refused by the service, not by access
  getSetup: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  completeSetup: [409, 409, 409, 409, 409, 409],
  // accounts, keys, display links and who did what: the admin's alone
  listAccounts: ['ok', F, F, F, F, U],
  createAccount: ['ok', F, F, F, F, U],
  updateAccount: ['ok', F, F, F, F, U],
  setAccountPassword: ['ok', F, F, F, F, U],
  listApiKeys: ['ok', F, F, F, F, U],
  createApiKey: ['ok', F, F, F, F, U],
  revokeApiKey: ['ok', F, F, F, F, U],
  listDisplayLinks: ['ok', F, F, F, F, U],
  createDisplayLink: ['ok', F, F, F, F, U],
  revokeDisplayLink: ['ok', F, F, F, F, U],
  getAudit: ['ok', F, F, F, F, U],
  // the slip: the desk prints it (and the admin); the settings: the desk reads the layout, the admin sets it
  getTokenSlip: ['ok', 'ok', F, F, F, U],
  getSettings: ['ok', 'ok', F, F, F, U],
  putSettings: ['ok', F, F, F, F, U],
  // the patient's own page and its stream: public, the code on the slip is the credential
  getPatientPage: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  streamPatientEvents: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  // reports of the real days and the what-if: the admin's alone
  getReport: ['ok', F, F, F, F, U],
  getWhatIf: ['ok', F, F, F, F, U],
  // search: the desk's, over every doctor; a doctor's finds only its own tokens (the other doctor finds none)
  searchTokens: ['ok', 'ok', 'ok', 'ok', F, U],
  // erasing a patient's personal data at once (SPEC 12): the admin's alone
  erasePatient: ['ok', F, F, F, F, U],
};

interface Operation {
  method: string;
  path: string;
  operationId: string;
}

let h: Harness;
let a: Day;
let b: Day;
let clients: Record<(typeof WHO)[number], Client>;
let base: string;

/** A token of doctor A made by the admin, in the status an action needs. */
async function tokenOfA(status: 'ALLOCATED' | 'CHECKED_IN' | 'CALLED' = 'ALLOCATED'): Promise<string> {
  const issued = await h.sut.inject({ method: 'POST', url: '/api/tokens', payload: { doctorId: a.doctor.id, source: 'WALKIN', patient: patient('Meena Iyer') } });
  const id = issued.json().id as string;
  if (status === 'ALLOCATED') return id;
  await h.sut.inject({ method: 'POST', url: `/api/tokens/${id}/check-in`, headers: { 'content-type': 'application/json' } });
  if (status === 'CHECKED_IN') return id;
  // call-next takes the first checked-in token: the one just checked in, when the queue was emptied.
  const called = await h.sut.inject({ method: 'POST', url: `/api/doctors/${a.doctor.id}/call-next`, headers: { 'content-type': 'application/json' } });
  return called.json().id as string;
}

/** Empties doctor A's queue of checked-in tokens, so the next call-next calls the one a test made. */
async function drainQueue(): Promise<void> {
  for (;;) {
    const called = await h.sut.inject({ method: 'POST', url: `/api/doctors/${a.doctor.id}/call-next`, headers: { 'content-type': 'application/json' } });
    if (called.statusCode !== 200) return;
    await h.sut.inject({ method: 'POST', url: `/api/tokens/${called.json().id}/complete`, headers: { 'content-type': 'application/json' } });
  }
}

/** A valid request for each operation, on doctor A's data; made fresh for each attempt. */
async function requestFor(op: Operation): Promise<{ url: string; body?: unknown }> {
  const A = a.doctor.id;
  const id = async () => {
    switch (op.operationId) {
      case 'completeToken':
      case 'skipToken':
        await drainQueue();
        return tokenOfA('CALLED');
      case 'cancelToken':
      case 'markTokenNoShow':
      case 'checkInToken':
      case 'transferToken':
      case 'getToken':
      case 'getTokenHistory':
      case 'getTokenSlip':
        return tokenOfA();
      case 'getSlot':
      case 'changeSlotCapacity':
        return a.slots[1].id;
      case 'updateAccount':
      case 'setAccountPassword':
        return deskAccount;
      case 'revokeApiKey':
        return (await h.access.createApiKey({ name: 'to revoke', role: 'desk', doctorIds: 'all' })).key.id;
      case 'revokeDisplayLink':
        return (await h.access.createDisplayLink({ name: 'to revoke', doctorIds: [A] })).link.id;
      default:
        return A;
    }
  };
  let url = op.path.includes('{id}') ? op.path.replace('{id}', await id()) : op.path;
  // A patient page's code: the one printed on the slip of a token of doctor A.
  if (url.includes('{code}')) url = url.replace('{code}', h.patients.publicUrl(await tokenOfA()).slice('/t/'.length));
  switch (op.operationId) {
    case 'updateDoctor':
      return { url, body: { room: `Room ${seq++}` } };
    case 'setRota':
      return { url, body: { sessions: [] } };
    case 'applyRota':
      return { url, body: { dates: ['2026-03-10'] } };
    case 'closeDate':
      seq++;
      return { url, body: { date: `2026-05-${String(1 + (seq % 28)).padStart(2, '0')}`, doctorId: b.doctor.id, reason: 'Conference' } };
    case 'reopenDate': {
      seq++;
      const date = `2026-06-${String(1 + (seq % 28)).padStart(2, '0')}`;
      await h.sut.inject({ method: 'POST', url: '/api/closed-dates', payload: { date, doctorId: b.doctor.id, reason: 'Leave' } });
      return { url: `/api/closed-dates/${date}?doctorId=${b.doctor.id}` };
    }
    case 'createDoctor':
      return { url, body: { name: 'Dr New', department: 'ENT', code: `N${String.fromCharCode(65 + (seq++ % 26))}${String.fromCharCode(65 + Math.floor(seq / 26))}` } };
    case 'setDoctorPolicy':
      return { url, body: { maxSkips: 2 } };
    case 'callNext':
      await drainQueue();
      await tokenOfA('CHECKED_IN');
      return { url, body: {} };
    case 'reportDelay':
      return { url, body: { minutes: 1 } };
    case 'createSlot':
      seq++;
      return { url, body: { doctorId: A, start: at(`${12 + Math.floor(seq / 6)}:${String((seq % 6) * 10).padStart(2, '0')}`), end: at(`${12 + Math.floor(seq / 6)}:${String((seq % 6) * 10 + 5).padStart(2, '0')}`), capacity: 1 } };
    case 'changeSlotCapacity':
      return { url, body: { capacity: 500 } };
    case 'issueToken':
      return { url, body: { doctorId: A, source: 'WALKIN', patient: patient('Nobody Yet') } };
    case 'transferToken':
      return { url, body: { doctorId: b.doctor.id } };
    case 'getBoard':
      return { url: `${url}?doctors=${A}` };
    case 'setClock':
      return { url, body: { now: at('08:00') } };
    case 'signIn':
      return { url, body: { username: 'matrix.admin', password: 'matrix-password-1' } };
    case 'completeSetup':
      return { url, body: { code: setupCode, username: `setup.${seq++}`, password: 'matrix-password-9' } };
    case 'createAccount':
      return { url, body: { username: `matrix.${seq++}`, displayName: 'Matrix desk', role: 'desk', doctorIds: 'all', password: 'matrix-password-2' } };
    case 'updateAccount':
      return { url, body: { displayName: `Renamed ${seq++}` } };
    case 'setAccountPassword':
      return { url, body: { password: 'matrix-password-3' } };
    case 'createApiKey':
      return { url, body: { name: 'matrix key', role: 'desk', doctorIds: 'all' } };
    case 'createDisplayLink':
      return { url, body: { name: 'Block A TV', doctorIds: [A] } };
    case 'putSettings':
      return { url, body: { slipLayout: 'a6' } };
    case 'searchTokens':
      return { url: `${url}?q=Meena` };
    case 'erasePatient':
      return { url, body: { phone: '+91 90000 00001' } };
    case 'getAudit':
      return { url: `${url}?actorId=${deskAccount}&date=2026-03-10` };
    case 'getReport':
      return { url: `${url}?from=2026-03-10&to=2026-03-11` };
    case 'getWhatIf':
      return { url: `${url}?date=2026-03-09&policy=emergency-only` };
    default:
      return { url, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : {} };
  }
}
let seq = 0;
/** An account the admin routes change, and the first-run code made before any admin existed. */
let deskAccount: string;
let setupCode: string;

/** What a refusal must leave as it was. */
async function snapshot() {
  return {
    latestSeq: await h.desk.latestSeq(),
    accounts: await h.access.listAccounts(),
    keys: await h.access.listApiKeys(),
    links: await h.access.listDisplayLinks(),
  };
}

/** The status of one request; the live feed is opened over a socket and closed once it answered. */
async function attempt(client: Client, op: Operation, url: string, body: unknown): Promise<{ status: number; code?: string }> {
  if (op.operationId === 'streamEvents' || op.operationId === 'streamPatientEvents') {
    const abort = new AbortController();
    const res = await fetch(`${base}${url}`, { headers: client.headers, signal: abort.signal });
    const code = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { code: string }).code : undefined;
    abort.abort();
    return { status: res.status, code };
  }
  const answer = await client.call(op.method as 'GET', url, body, body === undefined && op.method !== 'GET' ? { 'content-type': 'application/json' } : {});
  return { status: answer.status, code: answer.body?.code };
}

export function matrixSuite(open?: () => Promise<Store>): void {
  beforeAll(async () => {
    h = await harness(open ? { store: open } : {});
    a = await seedDay(h.sut, 'GM');
    b = await seedDay(h.sut, 'OR');
    // Room for every token the walk issues.
    for (const slot of a.slots) await h.sut.inject({ method: 'PATCH', url: `/api/slots/${slot.id}`, payload: { capacity: 500 } });
    setupCode = (await h.access.firstRunSetup())!.code;
    deskAccount = (await h.access.createAccount({ username: 'matrix.desk', displayName: 'Matrix desk', role: 'desk', doctorIds: 'all', password: 'matrix-password-1' })).id;
    await h.access.createAccount({ username: 'matrix.admin', displayName: 'Matrix', role: 'admin', doctorIds: 'all', password: 'matrix-password-1' });
    clients = {
      admin: await h.as('admin'),
      desk: await h.as('desk'),
      ownDoctor: await h.as('doctor', [a.doctor.id]),
      otherDoctor: await h.as('doctor', [b.doctor.id]),
      display: await h.as('display', [a.doctor.id]),
      none: await h.as('none'),
    };
    base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('SPEC 11: every operation, as every role', () => {
    it('the hand table names every operation of the document, and nothing else', async () => {
      const doc = h.sut.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
      const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
      expect(ids.filter((id) => !(id in HAND_TABLE)), 'operations missing from the hand table').toEqual([]);
      expect(Object.keys(HAND_TABLE).filter((id) => !ids.includes(id)), 'hand table rows without an operation').toEqual([]);
    });

    it('answers each as the table says; a refusal changes nothing', async () => {
      const doc = h.sut.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
      const ops: Operation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, o]) => ({ method: method.toUpperCase(), path, operationId: o.operationId })),
      );
      const wrong: string[] = [];
      for (const op of ops) {
        const row = HAND_TABLE[op.operationId]!;
        for (const [i, who] of WHO.entries()) {
          const { url, body } = await requestFor(op);
          const before = await snapshot();
          const { status, code } = await attempt(clients[who], op, url, body);
          const expected = row[i]!;
          const got: Expect | string =
            status === 401 ? 401 : status === 403 ? 403 : status < 300 ? 'ok' : status === 409 && code === 'SETUP_CLOSED' ? 409 : `${status} ${code}`;
          if (got !== expected) wrong.push(`${op.operationId} as ${who}: expected ${expected}, got ${status} ${code ?? ''}`);
          if (status === 401 || status === 403) {
            expect(code, `${op.operationId} as ${who}`).toBe(status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
            expect(await snapshot(), `${op.operationId} as ${who} changed something`).toEqual(before);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('the document names the two credentials; public operations ask for none; the others list 401 and 403', async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const doc = (await h.sut.inject({ method: 'GET', url: '/api/openapi.json' })).json() as any;
      expect(doc.components.securitySchemes).toEqual({
        session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'opd_session' }),
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      });
      expect(doc.security).toEqual([{ session: [] }, { bearer: [] }]);
      expect(doc.paths['/api/session'].post.security).toEqual([]);
      expect(doc.paths['/api/session'].get.security).toEqual([]);
      expect(doc.paths['/api/doctors'].post.security).toBeUndefined();
      expect(Object.keys(doc.paths['/api/doctors'].post.responses)).toEqual(expect.arrayContaining(['401', '403']));
    });

    it('the pages and files outside the document: public, or the admin\'s', async () => {
      const none = clients.none;
      expect((await none.call('GET', '/healthz')).status).toBe(200);
      expect((await none.call('GET', '/api/openapi.json')).status).toBe(200);
      expect((await none.call('GET', '/docs')).status).toBe(200);
      expect((await none.call('GET', '/metrics')).status).toBe(401);
      for (const who of ['desk', 'ownDoctor', 'display'] as const) expect((await clients[who].call('GET', '/metrics')).status, who).toBe(403);
      expect((await clients.admin.call('GET', '/metrics')).status).toBe(200);
    });

    it('a doctor named in the path, body or resource must be its own: the board keeps only its own', async () => {
      const other = clients.otherDoctor;
      const board = await other.call('GET', `/api/board?doctors=${a.doctor.id},${b.doctor.id}`);
      expect(board.status).toBe(200);
      expect(board.body.doctors.map((d: { doctor: { id: string } }) => d.doctor.id)).toEqual([b.doctor.id]);
      const all = await clients.display.call('GET', '/api/board');
      expect(all.body.doctors.map((d: { doctor: { id: string } }) => d.doctor.id)).toEqual([a.doctor.id]);
      expect((await clients.ownDoctor.call('GET', `/api/doctors/${b.doctor.id}/schedule`)).status).toBe(403);
      expect((await clients.ownDoctor.call('GET', `/api/slots/${b.slots[0].id}`)).status).toBe(403);
    });
  });
}
