// SPEC 7 and 8: token lifecycle, numbers, duplicates, refusals, events and replay.
import { describe, expect, it } from 'vitest';
import { execute } from './commands.ts';
import { snapshot } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';
import type { Command, TokenStatus } from './types.ts';

/** A desk with one slot of capacity 3 and token `t` brought to the given status. */
function tokenIn(status: TokenStatus): Desk {
  const d = new Desk(policy({ preemption: 'off', allowance: {} })).slot('s9', '09:00', '10:00', status === 'WAITLISTED' ? 0 : 3);
  d.slot('s10', '10:00', '11:00', 0);
  d.issue('t', 'ONLINE', { slotId: 's9', flexible: status === 'EXPIRED' });
  const steps: Partial<Record<TokenStatus, Command[]>> = {
    CHECKED_IN: [{ type: 'checkIn', tokenId: 't' }],
    CALLED: [{ type: 'checkIn', tokenId: 't' }, { type: 'callNext' }],
    COMPLETED: [{ type: 'checkIn', tokenId: 't' }, { type: 'callNext' }, { type: 'complete', tokenId: 't' }],
    CANCELLED: [{ type: 'cancel', tokenId: 't' }],
    NO_SHOW: [{ type: 'noShow', tokenId: 't' }],
  };
  for (const c of steps[status] ?? []) d.ok(c, '09:05');
  if (status === 'EXPIRED') {
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:30');
    d.ok({ type: 'tick' }, '11:00');
  }
  expect(d.status('t')).toBe(status);
  return d;
}

const ALLOWED: Record<string, TokenStatus[]> = {
  cancel: ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'],
  noShow: ['ALLOCATED', 'CHECKED_IN', 'CALLED'],
  checkIn: ['ALLOCATED'],
  complete: ['CALLED'],
  skip: ['CALLED'],
};
const ALL: TokenStatus[] = ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN', 'CALLED', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'];

describe('SPEC 7 lifecycle', () => {
  for (const [command, allowed] of Object.entries(ALLOWED)) {
    for (const from of ALL) {
      const ok = allowed.includes(from);
      it(`${command} from ${from} is ${ok ? 'allowed' : 'refused with INVALID_TRANSITION and changes nothing'}`, () => {
        const d = tokenIn(from);
        const before = JSON.stringify(snapshot(d.day));
        const out = d.run({ type: command as 'cancel', tokenId: 't' }, '09:30');
        if (ok) {
          expect(out.ok).toBe(true);
        } else {
          expect(out).toMatchObject({ ok: false, code: 'INVALID_TRANSITION', events: [] });
          expect(JSON.stringify(snapshot(d.day))).toBe(before);
        }
      });
    }
  }

  it('no seat is ever freed twice: a no-show then a cancel of the same token leaves occupied at 1, not 0', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'noShow', tokenId: 'a' }, '09:20');
    expect(d.occupied('s9')).toBe(1);
    expect(d.run({ type: 'cancel', tokenId: 'a' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(d.run({ type: 'noShow', tokenId: 'a' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(d.occupied('s9')).toBe(1);
  });

  it('call next: the earliest slot with a checked-in patient first, then serving order; QUEUE_EMPTY when nobody waits', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('late-slot-paid', 'PAID', { slotId: 's10', at: '08:00' });
    d.issue('walkin', 'WALKIN', { slotId: 's9', at: '08:01' });
    d.issue('online', 'ONLINE', { slotId: 's9', at: '08:02' });
    for (const id of ['late-slot-paid', 'walkin', 'online']) d.ok({ type: 'checkIn', tokenId: id }, '09:00');
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = d.run({ type: 'callNext' }, `09:0${i + 1}`);
      if (out.ok) order.push(out.tokenId!);
      d.ok({ type: 'complete', tokenId: order.at(-1)! });
    }
    expect(order).toEqual(['online', 'walkin', 'late-slot-paid']);
    expect(d.run({ type: 'callNext' })).toMatchObject({ ok: false, code: 'QUEUE_EMPTY' });
  });

  it('skip: maxSkips 2 allows two skips back to CHECKED_IN; the third makes it NO_SHOW and frees the seat', () => {
    const d = new Desk(policy({ maxSkips: 2, preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:00');
    for (const skips of [1, 2]) {
      d.ok({ type: 'callNext' });
      d.ok({ type: 'skip', tokenId: 'a' });
      expect([d.status('a'), d.token('a').skips]).toEqual(['CHECKED_IN', skips]);
    }
    d.ok({ type: 'callNext' });
    d.ok({ type: 'skip', tokenId: 'a' }, '09:20');
    expect(d.status('a')).toBe('NO_SHOW');
    expect(d.events('TokenNoShow').at(-1)).toMatchObject({ reason: 'max-skips' });
    expect(d.where('b')).toBe('ALLOCATED@s9');
  });

  it('a skip in a slot that ended after it was closed keeps the patient checked in to be called again', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '08:50');
    d.ok({ type: 'callNext' }, '09:00');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '09:10');
    d.ok({ type: 'skip', tokenId: 'a' }, '10:05');
    d.ok({ type: 'tick' }, '10:06');
    expect(d.where('a')).toBe('CHECKED_IN@s9');
    expect(d.run({ type: 'callNext' })).toMatchObject({ ok: true, tokenId: 'a' });
  });

  it('numbers: GM-001, GM-002, …, from 1 per doctor-day, never reused after a cancel', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 5);
    d.issue('a', 'ONLINE');
    d.issue('b', 'ONLINE');
    d.ok({ type: 'cancel', tokenId: 'b' });
    d.issue('c', 'ONLINE');
    expect(['a', 'b', 'c'].map((id) => d.token(id).label)).toEqual(['GM-001', 'GM-002', 'GM-003']);
  });

  it('duplicates: a patient id with a live token gets DUPLICATE_TOKEN naming it; after a cancel the patient may book again', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 5);
    d.issue('a', 'ONLINE', { patientId: 'MRN-1', phone: '98450' });
    expect(d.issue('b', 'WALKIN', { patientId: 'MRN-1' })).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'a' });
    expect(d.issue('c', 'WALKIN', { patientId: 'MRN-2', phone: '98450' }).ok).toBe(true); // id first, phone only without id
    expect(d.issue('d', 'WALKIN', { phone: '77777' }).ok).toBe(true);
    expect(d.issue('e', 'WALKIN', { phone: '77777' })).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'd' });
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(d.issue('f', 'WALKIN', { patientId: 'MRN-1' }).ok).toBe(true);
    expect(d.day.tokens.has('b')).toBe(false);
  });

  it('refusals carry a code and change nothing: unknown token, bad capacity, overlapping slot, unknown source', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    const before = JSON.stringify(snapshot(d.day));
    expect(d.run({ type: 'cancel', tokenId: 'nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(d.run({ type: 'changeCapacity', slotId: 's9', capacity: -1 })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(d.run({ type: 'changeCapacity', slotId: 's9', capacity: 1.5 })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(d.run({ type: 'createSlot', slot: { id: 'x', start: at('09:30'), end: at('10:30'), capacity: 1 } })).toMatchObject({
      ok: false,
      code: 'SLOT_OVERLAP',
    });
    expect(d.run({ type: 'createSlot', slot: { id: 'y', start: at('11:00'), end: at('11:00'), capacity: 1 } })).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
    expect(
      d.run({ type: 'issueToken', tokenId: 'z', source: 'VIP' as 'PAID' }),
    ).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(d.run({ type: 'issueToken', tokenId: 'z', source: 'PAID', patientKey: '' })).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
    expect(d.run({ type: 'delayDoctor', minutes: 0 })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(snapshot(d.day))).toBe(before);
  });

  it('an invalid policy is refused with VALIDATION_FAILED', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    const out = execute(d.day, { type: 'setPolicy', policy: policy({ maxBumps: -1 }) }, { now: at('09:00'), policy: d.policy });
    expect(out).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });
});

describe('SPEC 8 events', () => {
  it('every change is an event with its reason, and replaying the events rebuilds the state exactly', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9', at: '09:00' });
    d.issue('b', 'ONLINE', { slotId: 's9', at: '09:00' });
    d.issue('c', 'ONLINE', { slotId: 's9', at: '09:10' });
    d.issue('p', 'PAID', { slotId: 's9', at: '09:15' });
    d.issue('e', 'EMERGENCY', { slotId: 's9', at: '09:25' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:30');
    d.ok({ type: 'callNext' }, '09:31');
    d.ok({ type: 'cancel', tokenId: 'p' }, '09:40');
    d.ok({ type: 'delayDoctor', minutes: 15 }, '09:45');
    d.ok({ type: 'tick' }, '10:30');
    expect(d.log.map((e) => e.type)).toContain('TokenBumped');
    expect(d.replayMatches()).toBe(true);
  });

  it('set policy records PolicyChanged and acts at once: raising the WALKIN allowance seats a waiting walk-in', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('w', 'WALKIN', { slotId: 's9' });
    const next = policy({ preemption: 'off', allowance: { EMERGENCY: 1, WALKIN: 1 } });
    const out = execute(d.day, { type: 'setPolicy', policy: next }, { now: at('08:30'), policy: d.policy });
    expect(out.ok && out.events.map((e) => e.type)).toEqual(['PolicyChanged', 'TokenAllocated']);
    expect(d.where('w')).toBe('ALLOCATED@s9');
  });
});

describe('SPEC 9 policy defaults', () => {
  it('strict-priority, maxBumps 1, EMERGENCY +1, reserve release 15, aging 45 with floor 1, grace 15, maxSkips 2, shrink', async () => {
    const { DEFAULT_POLICY } = await import('./policy.ts');
    expect(DEFAULT_POLICY).toEqual({
      preemption: 'strict-priority',
      maxBumps: 1,
      allowance: { EMERGENCY: 1 },
      reserveReleaseMinutes: 15,
      agingMinutes: 45,
      agingFloor: 1,
      noShowGraceMinutes: 15,
      maxSkips: 2,
      delayMode: 'shrink',
    });
  });
});
