// SPEC 11, the patient's side: the public page of one token (by the code on its slip), its live
// stream, the slip the desk prints and the slip layout an admin chooses. Run on both stores
// (patient.test.ts, patient.pg.test.ts). Expected values are written by hand.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { at, call, callAnonymous, harness, type Harness } from '../../kits/api/test-kit.ts';

interface Seeded {
  doctorId: string;
  slots: [string, string];
}

let h: Harness;
let n = 0;

/** Dr Meera Shah, ENT, room OPD 3: 09:00–10:00 and 10:00–11:00, 2 seats each (emergencies +1). */
async function seed(): Promise<Seeded> {
  n++;
  const code = `E${String.fromCharCode(65 + (n % 26))}${String.fromCharCode(65 + Math.floor(n / 26))}`;
  const doctor = await call(h.sut, 'POST', '/api/doctors', { name: 'Dr Meera Shah', department: 'ENT', code, room: 'OPD 3' });
  const s1 = await call(h.sut, 'POST', '/api/slots', { doctorId: doctor.body.id, start: at('09:00'), end: at('10:00'), capacity: 2 });
  const s2 = await call(h.sut, 'POST', '/api/slots', { doctorId: doctor.body.id, start: at('10:00'), end: at('11:00'), capacity: 2 });
  return { doctorId: doctor.body.id, slots: [s1.body.id, s2.body.id] };
}

const PEOPLE = ['Sunita Devi', 'Arjun Mehta', 'Kavya Nair', 'Imran Qureshi', 'Lakshmi Iyer'];
let person = 0;
function someone(source = 'WALKIN') {
  const name = PEOPLE[person % PEOPLE.length]!;
  person++;
  return { name: `${name} ${person}`, id: `UHID-${1000 + person}`, phone: `+91 98450 ${String(20000 + person)}`, source };
}

async function issue(day: Seeded, source = 'WALKIN', slot = 0) {
  const { source: s, ...patient } = someone(source);
  const res = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctorId, source: s, patient, slotId: day.slots[slot], arrived: false });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: string; publicUrl: string; patient: { name: string; id: string; phone: string } };
}

const codeOf = (publicUrl: string) => publicUrl.slice('/t/'.length);
const page = (publicUrl: string) => callAnonymous(h.sut, 'GET', `/api/patient/${codeOf(publicUrl)}`);

export function patientSuite(open?: () => Promise<Store>): void {
  beforeAll(async () => {
    h = await harness(open ? { store: open } : {});
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.desk.setClock(new Date(at('08:00')));
  });

  describe('11: the public code on staff answers', () => {
    it('a staff token answer carries publicUrl, the same on every read; the board never does', async () => {
      const day = await seed();
      const t = await issue(day);
      expect(t.publicUrl).toMatch(/^\/t\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      expect((await call(h.sut, 'GET', `/api/tokens/${t.id}`)).body.publicUrl).toBe(t.publicUrl);
      const schedule = await call(h.sut, 'GET', `/api/doctors/${day.doctorId}/schedule?date=2026-03-10`);
      expect(schedule.body.slots[0].tokens[0].publicUrl).toBe(t.publicUrl);
      const display = await h.as('display', [day.doctorId]);
      const board = await display.call('GET', `/api/board?doctors=${day.doctorId}`);
      expect(board.status).toBe(200);
      expect(JSON.stringify(board.body)).not.toContain(codeOf(t.publicUrl));
      expect(JSON.stringify(board.body)).not.toContain('publicUrl');
      const desk = await h.as('desk');
      expect((await desk.call('GET', `/api/tokens/${t.id}`)).body.publicUrl).toBe(t.publicUrl);
    });
  });

  describe("11: the patient's page", () => {
    it('shows that token, its doctor, room, slot, estimate and place, without a credential and without any name', async () => {
      const day = await seed();
      const first = await issue(day);
      const mine = await issue(day);
      const res = await page(mine.publicUrl);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.body).toEqual({
        state: 'live',
        number: mine.number,
        date: '2026-03-10',
        doctor: { name: 'Dr Meera Shah', department: 'ENT', room: 'OPD 3' },
        status: 'ALLOCATED',
        slot: { start: at('09:00'), end: at('10:00') },
        // the second of 2 seats in a 60-minute slot: 30 minutes after it starts
        estimatedAt: at('09:30'),
        nowServing: [],
        ahead: 1,
        waitlistPosition: null,
        delay: null,
        happenings: [],
      });
      const text = JSON.stringify(res.body);
      for (const t of [first, mine]) {
        for (const personal of [t.patient.name, t.patient.id, t.patient.phone, t.id]) expect(text).not.toContain(personal);
      }
    });

    it('says who is being served, once the token is called, with numbers only', async () => {
      const day = await seed();
      const a = await issue(day);
      const b = await issue(day);
      for (const t of [a, b]) await call(h.sut, 'POST', `/api/tokens/${t.id}/check-in`);
      await h.desk.setClock(new Date(at('09:05')));
      await call(h.sut, 'POST', `/api/doctors/${day.doctorId}/call-next`, {});
      const mineBefore = await page(b.publicUrl);
      expect(mineBefore.body).toMatchObject({ status: 'CHECKED_IN', nowServing: [a.number], ahead: 0 });
      await call(h.sut, 'POST', `/api/tokens/${a.id}/complete`);
      await call(h.sut, 'POST', `/api/doctors/${day.doctorId}/call-next`, {});
      expect((await page(b.publicUrl)).body).toMatchObject({ status: 'CALLED', nowServing: [b.number], ahead: null });
      expect(JSON.stringify((await page(b.publicUrl)).body)).not.toContain(a.patient.name);
    });

    it('tells a bumped patient where the token went and that an emergency arrived', async () => {
      const day = await seed();
      await issue(day);
      const bumped = await issue(day);
      await issue(day, 'EMERGENCY'); // the elastic third seat
      await issue(day, 'EMERGENCY'); // no seat left: the last booked walk-in moves
      const res = await page(bumped.publicUrl);
      expect(res.body.slot).toEqual({ start: at('10:00'), end: at('11:00') });
      expect(res.body.happenings).toEqual([{ kind: 'moved', at: at('08:00'), to: { start: at('10:00'), end: at('11:00') }, because: 'emergency' }]);
    });

    it('says the doctor is late, and moves the estimate past the lost time', async () => {
      const day = await seed();
      await issue(day);
      const second = await issue(day);
      await call(h.sut, 'POST', `/api/doctors/${day.doctorId}/delay`, { minutes: 30 });
      const res = await page(second.publicUrl);
      expect(res.body.delay).toMatchObject({ mode: 'shrink', minutes: 30, from: at('09:00'), until: at('09:30') });
      // 30 minutes lost of a 2-seat hour takes one seat: the last booked moves to 10:00–11:00
      expect(res.body.happenings).toEqual([{ kind: 'moved', at: at('08:00'), to: { start: at('10:00'), end: at('11:00') }, because: 'doctor-late' }]);
    });

    it('a skipped call asks the patient to come (the page says so), and a waitlisted token knows its place', async () => {
      const day = await seed();
      const a = await issue(day);
      await call(h.sut, 'POST', `/api/tokens/${a.id}/check-in`);
      await h.desk.setClock(new Date(at('09:05')));
      await call(h.sut, 'POST', `/api/doctors/${day.doctorId}/call-next`, {});
      await call(h.sut, 'POST', `/api/tokens/${a.id}/skip`);
      expect((await page(a.publicUrl)).body.happenings).toEqual([{ kind: 'skipped', at: at('09:05') }]);
      for (let i = 0; i < 3; i++) await issue(day, 'WALKIN', 1);
      const waiting = await issue(day, 'WALKIN', 1);
      expect((await page(waiting.publicUrl)).body).toMatchObject({ status: 'WAITLISTED', ahead: null, waitlistPosition: 2 });
    });

    it('after its day, the page says the visit is over and shows nothing but the number', async () => {
      const day = await seed();
      const t = await issue(day);
      await h.desk.setClock(new Date('2026-03-11T08:00:00+05:30'));
      expect((await page(t.publicUrl)).body).toEqual({
        state: 'over', number: t.number, date: '2026-03-10', doctor: null, status: null, slot: null, estimatedAt: null,
        nowServing: [], ahead: null, waitlistPosition: null, delay: null, happenings: [],
      });
    });

    it("12: once an admin erased the patient's data, the page says the visit is over that same day", async () => {
      const day = await seed();
      const t = await issue(day);
      const other = await issue(day);
      expect((await page(t.publicUrl)).body.state).toBe('live');
      const erased = await call(h.sut, 'POST', '/api/patients/erase', { tokenId: t.id });
      expect(erased.body).toEqual({ erased: 1 });
      expect((await page(t.publicUrl)).body).toEqual({
        state: 'over', number: t.number, date: '2026-03-10', doctor: null, status: null, slot: null, estimatedAt: null,
        nowServing: [], ahead: null, waitlistPosition: null, delay: null, happenings: [],
      });
      expect((await page(other.publicUrl)).body.state).toBe('live');
    });

    it('a wrong code is 404 and tells nothing: a changed tag, a bare token id, another token id with a real tag', async () => {
      const day = await seed();
      const t = await issue(day);
      const other = await issue(day);
      const [id, tag] = codeOf(t.publicUrl).split('.') as [string, string];
      const wrong = [`${id}.${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`, t.id, `${codeOf(other.publicUrl).split('.')[0]}.${tag}`];
      for (const code of wrong) {
        const res = await callAnonymous(h.sut, 'GET', `/api/patient/${code}`);
        expect(res.status, code).toBe(404);
        expect(res.type).toContain('application/problem+json');
        expect(JSON.stringify(res.body)).not.toContain(t.number);
        const html = await callAnonymous(h.sut, 'GET', `/t/${code}`);
        expect(html.status).toBe(404);
        expect(html.body).toContain('We cannot find this token');
        expect(html.body).not.toContain('<script');
      }
      // an over-long code never reaches the page: the router refuses it
      const long = await callAnonymous(h.sut, 'GET', `/api/patient/${'x'.repeat(400)}`);
      expect(long.status).toBeGreaterThanOrEqual(400);
      expect(long.status).toBeLessThan(500);
    });
  });

  describe('11: the slip and its layout', () => {
    it('the desk reads what the slip shows: number, doctor, room, slot, estimate, place, the page, the layout', async () => {
      const day = await seed();
      await issue(day);
      const t = await issue(day);
      const desk = await h.as('desk');
      const slip = await desk.call('GET', `/api/tokens/${t.id}/slip`);
      expect(slip.status).toBe(200);
      expect(slip.body).toEqual({
        tokenId: t.id,
        number: t.number,
        date: '2026-03-10',
        status: 'ALLOCATED',
        doctor: { name: 'Dr Meera Shah', department: 'ENT', room: 'OPD 3' },
        slot: { start: at('09:00'), end: at('10:00') },
        estimatedAt: at('09:30'),
        position: 2,
        waitlisted: false,
        issuedAt: at('08:00'),
        publicUrl: t.publicUrl,
        layout: expect.stringMatching(/^(roll-80mm|a6|a5)$/),
      });
      expect(JSON.stringify(slip.body)).not.toContain(t.patient.name);
    });

    it('an admin chooses the layout; a bad one is a 400 that changes nothing', async () => {
      expect((await call(h.sut, 'PUT', '/api/settings', { slipLayout: 'a5' })).body).toEqual({ slipLayout: 'a5' });
      expect((await call(h.sut, 'GET', '/api/settings')).body).toEqual({ slipLayout: 'a5' });
      for (const body of [{ slipLayout: 'a4' }, {}, { slipLayout: 'a6', extra: 1 }]) {
        const bad = await call(h.sut, 'PUT', '/api/settings', body);
        expect(bad.status, JSON.stringify(body)).toBe(400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await call(h.sut, 'GET', '/api/settings')).body).toEqual({ slipLayout: 'a5' });
      const day = await seed();
      const t = await issue(day);
      expect((await call(h.sut, 'GET', `/api/tokens/${t.id}/slip`)).body.layout).toBe('a5');
      await call(h.sut, 'PUT', '/api/settings', { slipLayout: 'roll-80mm' });
      expect((await call(h.sut, 'GET', `/api/tokens/${t.id}/slip`)).body.layout).toBe('roll-80mm');
    });
  });

  describe("11: the page's live stream", () => {
    it("says 'changed' with a sequence number only, for the token's doctor-day and not another's", async () => {
      const mineDay = await seed();
      const otherDay = await seed();
      const t = await issue(mineDay);
      const base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
      const abort = new AbortController();
      try {
        const res = await fetch(`${base}/api/patient/${codeOf(t.publicUrl)}/events`, { signal: abort.signal });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/event-stream');
        const reader = res.body!.getReader();
        let text = '';
        const readUntil = async (pattern: RegExp) => {
          while (!pattern.test(text)) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`stream ended: ${text}`);
            text += new TextDecoder().decode(value);
          }
        };
        await readUntil(/: live/);
        // another doctor's day changes: nothing for this page
        await issue(otherDay);
        await call(h.sut, 'POST', `/api/tokens/${t.id}/check-in`);
        await readUntil(/event: changed/);
        const frames = text.split('\n\n').filter((f) => f.includes('event: changed'));
        expect(frames).toHaveLength(1);
        expect(frames[0]).toMatch(/^id: \d+\nevent: changed\ndata: \{"seq":\d+\}$/);
        const bad = await fetch(`${base}/api/patient/${t.id}/events`);
        expect(bad.status).toBe(404);
      } finally {
        abort.abort();
      }
    });
  });
}
