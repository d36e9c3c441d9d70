// The text rule through the API (SPEC 10): names of exactly the limit in emoji, Devanagari (with
// combining vowel signs) and ASCII are stored and read back as given; one code point more is a 400
// with the same words the engine uses. Run on SQLite (text-rule.test.ts) and PostgreSQL (junk.pg.test.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';
import { call, harness, seedDay, type Day, type Harness } from '../../kits/api/test-kit.ts';

/** Exactly 200 code points each: 200 emoji (400 UTF-16 units), 100 न+ि (100 user-perceived characters). */
const AT_LIMIT = { emoji: '🙂'.repeat(200), devanagari: 'नि'.repeat(100), ascii: 'a'.repeat(200) };
const ONE_OVER = { emoji: `${AT_LIMIT.emoji}🙂`, devanagari: `${AT_LIMIT.devanagari}न`, ascii: `${AT_LIMIT.ascii}a` };

export function textRuleSuite(open: () => Promise<Store>): void {
  let h: Harness;
  let day: Day;
  beforeAll(async () => {
    h = await harness({ store: open });
    day = await seedDay(h.sut);
  });
  afterAll(async () => h?.close());

  describe('names are counted in code points, by the schema and the engine alike', () => {
    for (const script of ['emoji', 'devanagari', 'ascii'] as const) {
      it(`${script}: a patient name of exactly 200 is booked and read back; 201 is a 400 naming the field`, async () => {
        const booked = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: AT_LIMIT[script] } });
        expect(booked.status, JSON.stringify(booked.body)).toBe(201);
        expect((await call(h.sut, 'GET', `/api/tokens/${booked.body.id}`)).body.patient.name).toBe(AT_LIMIT[script]);
        await call(h.sut, 'POST', `/api/tokens/${booked.body.id}/cancel`);

        const events = (await h.desk.eventsAfter(0, 10_000)).length;
        const refused = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: ONE_OVER[script] } });
        expect(refused.status).toBe(400);
        expect(refused.type).toMatch(/^application\/problem\+json/);
        expect(refused.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          detail: 'body /patient/name: must be at most 200 characters (code points)',
          errors: [{ in: 'body', path: '/patient/name', message: 'must be at most 200 characters (code points)' }],
        });
        expect((await h.desk.eventsAfter(0, 10_000)).length).toBe(events);
      });

      it(`${script}: a doctor name of exactly 200 is taken, 201 refused`, async () => {
        const code = { emoji: 'EMO', devanagari: 'DEV', ascii: 'ASC' }[script];
        expect((await call(h.sut, 'POST', '/api/doctors', { name: AT_LIMIT[script], department: 'OPD', code })).status).toBe(201);
        const refused = await call(h.sut, 'POST', '/api/doctors', { name: ONE_OVER[script], department: 'OPD', code: `${code}X` });
        expect(refused.status).toBe(400);
        expect(refused.body.errors).toEqual([{ in: 'body', path: '/name', message: 'must be at most 200 characters (code points)' }]);
      });
    }

    it('a patient id of 100 code points is taken, 101 refused', async () => {
      const ok = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: 'Ravi', id: 'नि'.repeat(50) } });
      expect(ok.status).toBe(201);
      const refused = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: 'Ravi', id: `${'नि'.repeat(50)}न` } });
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toBe('body /patient/id: must be at most 100 characters (code points)');
    });
  });
}
