// Who did what, over HTTP: a token's history names each event's actor, GET /api/audit lists one
// actor's events of a day, and the board (like the live feed, events.test.ts) never names anyone.
// Requests are the harness's admin API key ("test admin") unless a test signs in as someone else.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
beforeEach(async () => {
  h = await harness();
  day = await seedDay(h.sut);
});
afterEach(async () => {
  await h.close();
});

const ADMIN = { kind: 'apiKey', name: 'test admin', role: 'admin' };
const SYSTEM = { kind: 'system', name: 'system', role: 'system' };

describe("a token's history", () => {
  it('carries who caused each event: the caller, or the system for the clock', async () => {
    const token = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    expect(token.status).toBe(201);
    // Past the slot's end and the grace: the clock marks the patient absent.
    expect((await call(h.sut, 'PUT', '/api/clock', { now: '2026-03-10T10:30:00+05:30' })).status).toBe(200);
    const history = await call(h.sut, 'GET', `/api/tokens/${token.body.id}/events`);
    expect(history.status).toBe(200);
    expect(history.body.map((e: { type: string; actor: unknown }) => [e.type, e.actor])).toEqual([
      ['TokenIssued', ADMIN],
      ['TokenAllocated', ADMIN],
      ['TokenNoShow', SYSTEM],
    ]);
    // Never an identity's id.
    expect(JSON.stringify(history.body)).not.toContain(h.adminKeyId);
  });
});

describe('GET /api/audit', () => {
  it("lists the actor's events of that day in order, with doctor and token number; none of another day or actor", async () => {
    const token = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    await call(h.sut, 'POST', `/api/tokens/${token.body.id}/check-in`);
    const audit = await call(h.sut, 'GET', `/api/audit?actorId=${h.adminKeyId}&date=2026-03-10`);
    expect(audit.status).toBe(200);
    expect(audit.body.actorId).toBe(h.adminKeyId);
    expect(audit.body.date).toBe('2026-03-10');
    const doctor = { id: day.doctor.id, name: 'Dr Asha Rao', code: 'GM' };
    expect(audit.body.events.map((e: Record<string, unknown>) => [e.type, e.tokenNumber, e.doctor, e.at])).toEqual([
      ['SlotCreated', null, doctor, '2026-03-10T08:00:00+05:30'],
      ['SlotCreated', null, doctor, '2026-03-10T08:00:00+05:30'],
      ['TokenIssued', 'GM-001', doctor, '2026-03-10T08:00:00+05:30'],
      ['TokenAllocated', 'GM-001', doctor, '2026-03-10T08:00:00+05:30'],
      ['TokenCheckedIn', 'GM-001', doctor, '2026-03-10T08:00:00+05:30'],
    ]);
    expect(audit.body.events.map((e: { seq: number }) => e.seq)).toEqual([...audit.body.events.map((e: { seq: number }) => e.seq)].sort((a: number, b: number) => a - b));
    // The day's first event (the policy in force recorded) is the system's, not the caller's.
    expect((await call(h.sut, 'GET', '/api/audit?actorId=system&date=2026-03-10')).body.events.map((e: { type: string }) => e.type)).toEqual(['PolicyChanged']);
    expect((await call(h.sut, 'GET', `/api/audit?actorId=${h.adminKeyId}&date=2026-03-11`)).body.events).toEqual([]);
    expect((await call(h.sut, 'GET', '/api/audit?actorId=someone-else&date=2026-03-10')).body.events).toEqual([]);
  });

  it('refuses a missing actor, a malformed or impossible date, and unknown parameters with a 400', async () => {
    for (const query of ['date=2026-03-10', 'actorId=open', 'actorId=open&date=10-03-2026', 'actorId=open&date=2026-02-30', 'actorId=open&date=2026-03-10&extra=1']) {
      const answer = await call(h.sut, 'GET', `/api/audit?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('the board', () => {
  it('never names who caused anything', async () => {
    await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient(), slotId: day.slots[0].id });
    const board = await call(h.sut, 'GET', '/api/board');
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).not.toMatch(/actor|test admin/);
    expect(JSON.stringify(board.body)).not.toContain(h.adminKeyId);
  });
});
