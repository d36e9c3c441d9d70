// SPEC 6, 7: the read-only views — serving order, estimated times, the waitlist, token and slot views.
// Expected times are worked out by hand from the slot's start, length and capacity.
import { describe, expect, it } from 'vitest';
import { dayIsOver, estimateOf, estimates, schedule, servingOrder, slotView, tiedWaitlist, tokenView, waitlist } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';

/** s9 (09:00–10:00, 4 seats): a ONLINE, b WALKIN, c PAID, d FOLLOWUP, all booked at 08:00. */
function four(): Desk {
  const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 1);
  for (const [id, source] of [['a', 'ONLINE'], ['b', 'WALKIN'], ['c', 'PAID'], ['d', 'FOLLOWUP']] as const) d.issue(id, source, { slotId: 's9' });
  return d;
}
const s = (d: Desk, id: string) => d.day.slotById.get(id)!;
const ids = (tokens: { id: string }[]) => tokens.map((t) => t.id);

describe('SPEC 6: serving order and estimated times', () => {
  it('by priority before anyone is called: 60 minutes / 4 seats = 15 minutes a place', () => {
    const d = four();
    expect(ids(servingOrder(s(d, 's9')))).toEqual(['c', 'd', 'a', 'b']);
    expect([...estimates(s(d, 's9'))]).toEqual([
      ['c', at('09:00')],
      ['d', at('09:15')],
      ['a', at('09:30')],
      ['b', at('09:45')],
    ]);
    for (const id of ['a', 'b', 'c', 'd']) expect(estimateOf(s(d, 's9'), d.token(id))).toBe(estimates(s(d, 's9')).get(id));
  });

  it('called and completed tokens come first, in the order they were called, at the time they were called', () => {
    const d = four();
    d.ok({ type: 'checkIn', tokenId: 'b' }, '09:00');
    d.ok({ type: 'callNext' }); // b, called at 09:00
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:05');
    d.ok({ type: 'complete', tokenId: 'b' }, '09:08');
    d.ok({ type: 'callNext' }, '09:10'); // a, called at 09:10
    expect(ids(servingOrder(s(d, 's9')))).toEqual(['b', 'a', 'c', 'd']);
    expect([...estimates(s(d, 's9'))]).toEqual([
      ['b', at('09:00')],
      ['a', at('09:10')],
      ['c', at('09:30')],
      ['d', at('09:45')],
    ]);
    expect(['a', 'b', 'c', 'd'].map((id) => estimateOf(s(d, 's9'), d.token(id)))).toEqual([at('09:10'), at('09:00'), at('09:30'), at('09:45')]);
  });

  it('tokens called at the same time are ordered by number', () => {
    const d = four();
    d.ok({ type: 'checkIn', tokenId: 'b' }, '09:00');
    d.ok({ type: 'checkIn', tokenId: 'a' });
    d.ok({ type: 'callNext' }); // a (ONLINE before WALKIN), 09:00
    d.ok({ type: 'callNext' }); // b, 09:00
    expect(ids(servingOrder(s(d, 's9')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a closed slot spreads its remaining tokens over its length: one place each', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '09:00');
    d.ok({ type: 'checkIn', tokenId: 'b' });
    d.ok({ type: 'callNext' });
    d.ok({ type: 'callNext' }, '09:01');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '09:30');
    d.ok({ type: 'skip', tokenId: 'b' }, '10:05'); // the slot has ended: b stays, checked in, not called
    expect(d.where('b')).toBe('CHECKED_IN@s9');
    // 60 minutes over 2 seated tokens: b is second, at 09:30.
    expect(estimates(s(d, 's9')).get('b')).toBe(at('09:30'));
    expect(estimateOf(s(d, 's9'), d.token('b'))).toBe(at('09:30'));
    expect(tokenView(d.day, d.token('b')).estimatedAt).toBe(at('09:30'));
  });
});

describe('SPEC 6: a place lasts slot length / capacity, however many are seated', () => {
  it('two tokens in a 4-seat hour: the second is at 09:15, not 09:30', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 4);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    expect(estimateOf(s(d, 's9'), d.token('b'))).toBe(at('09:15'));
    expect(estimates(s(d, 's9')).get('b')).toBe(at('09:15'));
  });
});

describe('SPEC 5, 7: waitlist, token and slot views', () => {
  it('the waitlist in promotion order; a slot\'s tied waitlist holds only the tokens tied to it', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 0);
    d.issue('w', 'WALKIN', { at: '08:00' });
    d.issue('t9', 'ONLINE', { slotId: 's9', at: '08:01' });
    d.issue('f9', 'PAID', { slotId: 's9', flexible: true, at: '08:02' });
    d.issue('t10', 'ONLINE', { slotId: 's10', at: '08:03' });
    d.issue('gone', 'PAID', { at: '08:04' });
    d.ok({ type: 'cancel', tokenId: 'gone' });
    expect(ids(waitlist(d.day))).toEqual(['f9', 't9', 't10', 'w']);
    expect(ids(tiedWaitlist(d.day, s(d, 's9')))).toEqual(['f9', 't9']);
    expect(ids(tiedWaitlist(d.day, s(d, 's10')))).toEqual(['t10']);
  });

  it('a token view: its number, doctor, slot and estimate; waiting or gone tokens have no estimate', () => {
    const d = four();
    d.issue('w', 'WALKIN', { slotId: 's10', patientId: 'MRN7', phone: '555' });
    d.issue('x', 'WALKIN', { slotId: 's10' }); // s10 is full: x waits
    expect(tokenView(d.day, d.token('a'))).toEqual({
      id: 'a',
      number: 'GM-001',
      doctorId: 'doc-1',
      slotId: 's9',
      source: 'ONLINE',
      status: 'ALLOCATED',
      issuedAt: at('08:00'),
      estimatedAt: at('09:30'),
      bumps: 0,
      skips: 0,
    });
    expect(tokenView(d.day, d.token('w'))).toMatchObject({ slotId: 's10', patientKey: 'id:MRN7', estimatedAt: at('10:00') });
    expect(tokenView(d.day, d.token('x'))).toMatchObject({ slotId: null, status: 'WAITLISTED', estimatedAt: null });
    expect(tokenView(d.day, d.token('a'), null).estimatedAt).toBeNull();
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(tokenView(d.day, d.token('a'))).toMatchObject({ slotId: 's9', status: 'CANCELLED', estimatedAt: null });
  });

  it('a token view is a copy: changing it changes nothing in the doctor-day', () => {
    const d = four();
    d.issue('k', 'WALKIN', { patientId: 'MRN9' });
    const view = tokenView(d.day, d.token('k'));
    view.patientKey = 'someone else';
    expect(d.token('k').patientKey).toBe('id:MRN9');
  });

  it('a slot view and the whole schedule', () => {
    const d = four();
    d.issue('x', 'WALKIN', { slotId: 's10' });
    d.issue('y', 'WALKIN', { slotId: 's10' });
    expect(slotView(d.day, s(d, 's9'))).toEqual({ id: 's9', doctorId: 'doc-1', start: at('09:00'), end: at('10:00'), capacity: 4, occupied: 4 });
    const sched = schedule(d.day);
    expect(sched.slots.map((sl) => [sl.id, sl.occupied, ids(sl.tokens), sl.tokens.map((t) => t.estimatedAt)])).toEqual([
      ['s9', 4, ['c', 'd', 'a', 'b'], [at('09:00'), at('09:15'), at('09:30'), at('09:45')]],
      ['s10', 1, ['x'], [at('10:00')]],
    ]);
    expect(sched.waitlist.map((t) => [t.id, t.slotId, t.estimatedAt])).toEqual([['y', null, null]]);
  });
});

describe('dayIsOver: nothing left that a tick could change', () => {
  it('is over only once every slot has ended and no token is seated unchecked, waitlisted or waiting checked in', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2);
    expect(dayIsOver(d.day, at('08:00'))).toBe(false); // the slot has not ended
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    d.issue('c', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'b' }, '08:30');
    expect(d.status('c')).toBe('WAITLISTED');
    // 10:05: the slot has ended, but a is ALLOCATED (a no-show due), c waits, b is checked in.
    expect(dayIsOver(d.day, at('10:05'))).toBe(false);
    d.ok({ type: 'callNext' }, '10:05');
    d.ok({ type: 'complete', tokenId: 'b' }, '10:06');
    expect(dayIsOver(d.day, at('10:06'))).toBe(false); // a and c are still to be closed by a tick
    d.ok({ type: 'tick' }, '12:00');
    expect([d.status('a'), d.status('c')]).toEqual(['NO_SHOW', 'EXPIRED']);
    expect(dayIsOver(d.day, at('12:00'))).toBe(true);
    // And indeed a later tick changes nothing.
    expect(d.run({ type: 'tick' }, '23:00').events).toEqual([]);
  });

  it('a day with a token still checked in and waiting is not over, even long after its slots', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '08:30');
    d.ok({ type: 'tick' }, '23:00');
    expect(dayIsOver(d.day, at('23:00'))).toBe(false);
  });
});
