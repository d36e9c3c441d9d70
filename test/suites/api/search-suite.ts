// SPEC 10 search (`GET /api/tokens?q=`) and SPEC 12 erasure over HTTP, run on both stores
// (search.test.ts, search.pg.test.ts): each kind of query, the days searched, the order, the actions
// offered per status and role, who may search whose tokens, and bad queries refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { at, call, harness, type Harness } from '../../kits/api/test-kit.ts';

export function searchSuite(open?: () => Promise<Store>): void {
  let h: Harness;
  let gm: string;
  let orth: string;
  const ids: Record<string, string> = {};

  const search = async (q: string, more = '') => {
    const res = await call(h.sut, 'GET', `/api/tokens?q=${encodeURIComponent(q)}${more}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body as { results: { token: { id: string; number: string; patient: { name: string } | null }; date: string; doctor: { code: string }; actions: string[] }[] }).results;
  };
  const numbers = async (q: string, more = '') => (await search(q, more)).map((r) => r.token.number);

  beforeAll(async () => {
    h = await harness(open ? { store: open } : {});
    gm = (await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' })).body.id;
    orth = (await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Iqbal Khan', department: 'Orthopaedics', code: 'OR' })).body.id;
    for (const [doctorId, date] of [
      [gm, '2026-03-10'],
      [gm, '2026-03-12'],
      [orth, '2026-03-10'],
    ] as const) {
      const r = await call(h.sut, 'POST', '/api/slots', { doctorId, start: at('09:00').replace('2026-03-10', date), end: at('13:00').replace('2026-03-10', date), capacity: 10 });
      expect(r.status).toBe(201);
    }
    const issue = async (label: string, doctorId: string, patient: object, date = '2026-03-10') => {
      const r = await call(h.sut, 'POST', '/api/tokens', { doctorId, source: 'WALKIN', patient, date });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[label] = r.body.id;
    };
    await issue('ravi', gm, { name: 'Ravi Kumar', phone: '+91 98450 11111' }); // GM-001
    for (let i = 2; i <= 7; i++) await issue(`gm${i}`, gm, { name: `Filler ${i}` }); // GM-002 … GM-007
    await issue('jose', gm, { name: 'José Álvarez', id: 'MRN-0042' }); // GM-008
    await issue('ram', orth, { name: 'राम प्रसाद', phone: '9845022222' }); // OR-001
    await issue('ravina', orth, { name: 'Ravina Thomas' }); // OR-002
    await issue('later', gm, { name: 'Ravi Later' }, '2026-03-12'); // GM-001 on 12 March
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('SPEC 10: GET /api/tokens?q= finds tokens every way', () => {
    it('a token number written GM-007, gm7, gm 7 or GM-7; exact numbers first', async () => {
      for (const q of ['GM-007', 'gm7', 'gm 7', 'GM-7']) expect(await numbers(q), q).toEqual(['GM-007']);
      // Two days searched by a date 12 March: the number matches on both, newer first.
      expect(await numbers('gm1', '&date=2026-03-12')).toEqual(['GM-001', 'GM-001']);
      expect((await search('gm1', '&date=2026-03-12')).map((r) => r.date)).toEqual(['2026-03-12', '2026-03-10']);
    });

    it('a name prefix of any word, case and accents aside, Devanagari as written; newer dates first, then issue order', async () => {
      expect(await numbers('ravi', '&date=2026-03-12')).toEqual(['GM-001', 'GM-001', 'OR-002']);
      expect((await search('ravi', '&date=2026-03-12')).map((r) => r.token.patient?.name)).toEqual(['Ravi Later', 'Ravi Kumar', 'Ravina Thomas']);
      expect(await numbers('KUM')).toEqual(['GM-001']);
      expect(await numbers('jose')).toEqual(['GM-008']);
      expect(await numbers('ALVA')).toEqual(['GM-008']);
      expect(await numbers('राम')).toEqual(['OR-001']);
      expect(await numbers('प्रसाद')).toEqual(['OR-001']);
      // Inside a word is no prefix.
      expect(await numbers('umar')).toEqual([]);
    });

    it('a phone in any common writing; a patient id case aside', async () => {
      for (const q of ['+91 98450 11111', '098450-11111', '9845011111']) expect(await numbers(q), q).toEqual(['GM-001']);
      expect(await numbers('98450 22222')).toEqual(['OR-001']);
      for (const q of ['MRN-0042', ' mrn-0042 ']) expect(await numbers(q), q).toEqual(['GM-008']);
    });

    it('searches `date` and the days before it: 7 by default, `days` to say otherwise', async () => {
      expect(await numbers('ravi later')).toEqual([]); // 12 March is after today (10 March)
      expect(await numbers('ravi later', '&date=2026-03-12')).toEqual(['GM-001']);
      expect(await numbers('kumar', '&date=2026-03-16')).toEqual(['GM-001']); // 16 March: the 7 days start on 10 March
      expect(await numbers('kumar', '&date=2026-03-17')).toEqual([]);
      expect(await numbers('kumar', '&date=2026-03-17&days=8')).toEqual(['GM-001']);
      expect(await numbers('ravi', '&date=2026-03-12&days=1')).toEqual(['GM-001']);
    });

    it("each result: the token with its patient, its doctor and date, and the actions its status allows", async () => {
      const [found] = await search('GM-001');
      expect(found).toMatchObject({ token: { id: ids.ravi, number: 'GM-001', patient: { name: 'Ravi Kumar', phone: '+919845011111' } }, doctor: { code: 'GM', name: 'Dr Asha Rao', department: 'General Medicine' }, date: '2026-03-10' });
      expect(found!.actions).toEqual(['checkIn', 'cancel', 'noShow', 'transfer']);
      await call(h.sut, 'POST', `/api/tokens/${ids.gm2}/check-in`, {});
      expect((await search('gm2'))[0]!.actions).toEqual(['cancel', 'noShow', 'transfer']);
      await call(h.sut, 'POST', `/api/tokens/${ids.gm3}/cancel`, {});
      expect((await search('gm3'))[0]!.actions).toEqual([]);
    });

    it('a doctor finds only its own tokens and may do none of the desk\'s actions; a display may not search', async () => {
      const doctor = await h.as('doctor', [orth]);
      const mine = await doctor.call('GET', '/api/tokens?q=ravi');
      expect(mine.status).toBe(200);
      expect(mine.body.results.map((r: { token: { number: string }; actions: string[] }) => [r.token.number, r.actions])).toEqual([['OR-002', []]]);
      const desk = await h.as('desk');
      expect((await desk.call('GET', '/api/tokens?q=GM-001')).body.results[0].actions).toEqual(['checkIn', 'cancel', 'noShow', 'transfer']);
      expect((await (await h.as('display', [gm])).call('GET', '/api/tokens?q=ravi')).status).toBe(403);
    });

    it('400 VALIDATION_FAILED for a missing, empty or too long q, and a bad date or days', async () => {
      for (const url of ['/api/tokens', '/api/tokens?q=', '/api/tokens?q=%20%20', `/api/tokens?q=${'a'.repeat(101)}`, '/api/tokens?q=ravi&date=2026-13-01', '/api/tokens?q=ravi&days=0', '/api/tokens?q=ravi&days=32', '/api/tokens?q=ravi&days=two']) {
        const res = await call(h.sut, 'GET', url);
        expect([res.status, res.body.code], url).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect(await numbers(`ravi ${'k'.repeat(95)}`)).toEqual([]);
    });
  });

  describe('SPEC 12: POST /api/patients/erase', () => {
    it('erases every token of the patient at once; staff then see the patient as erased; the board and history are unchanged', async () => {
      const history = await call(h.sut, 'GET', `/api/tokens/${ids.jose}/events`);
      const erased = await call(h.sut, 'POST', '/api/patients/erase', { patientId: 'mrn-0042' }, { 'idempotency-key': 'erase-jose' });
      expect([erased.status, erased.body]).toEqual([200, { erased: 1 }]);
      // The same request again with its key: the first answer (nothing left to erase would say 0).
      expect((await call(h.sut, 'POST', '/api/patients/erase', { patientId: 'mrn-0042' }, { 'idempotency-key': 'erase-jose' })).body).toEqual({ erased: 1 });
      expect((await call(h.sut, 'POST', '/api/patients/erase', { patientId: 'mrn-0042' })).body).toEqual({ erased: 0 });
      const token = await call(h.sut, 'GET', `/api/tokens/${ids.jose}`);
      expect(token.body).toMatchObject({ number: 'GM-008', patient: null, patientErased: true });
      expect((await call(h.sut, 'GET', `/api/tokens/${ids.jose}/events`)).body).toEqual(history.body);
      expect(await numbers('jose')).toEqual([]);
      expect(await numbers('GM-008')).toEqual(['GM-008']);
      const bad = await call(h.sut, 'POST', '/api/patients/erase', { phone: '+91 98450 11111', tokenId: ids.ravi });
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await call(h.sut, 'GET', `/api/tokens/${ids.ravi}`)).body.patient).toEqual({ name: 'Ravi Kumar', phone: '+919845011111' });
    });
  });
}
