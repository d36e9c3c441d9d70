// SPEC 6: time — tick (auto no-show, expiry), doctor delay (shrink, shift), closing a slot, estimatedAt.
import { describe, expect, it } from 'vitest';
import { estimates } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';

describe('SPEC 6 time', () => {
  it('tick: an ALLOCATED token of a slot that ended 15 minutes ago (grace 15) becomes NO_SHOW (auto); not at 14', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('absent', 'ONLINE', { slotId: 's9' });
    d.issue('here', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'here' }, '09:10');
    d.ok({ type: 'tick' }, '10:14');
    expect(d.status('absent')).toBe('ALLOCATED');
    d.ok({ type: 'tick' }, '10:15');
    expect(d.status('absent')).toBe('NO_SHOW');
    expect(d.status('here')).toBe('CHECKED_IN');
    expect(d.events('TokenNoShow')).toEqual([{ type: 'TokenNoShow', at: at('10:15'), tokenId: 'absent', auto: true, reason: 'grace-expired' }]);
  });

  it('tick: a token waiting tied to 09:00 expires when 09:00–10:00 ends; an untied one waits for the 10:00 slot', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 0).slot('s10', '10:00', '11:00', 0);
    d.issue('tied', 'ONLINE', { slotId: 's9' });
    d.issue('untied', 'WALKIN');
    d.issue('flex', 'ONLINE', { slotId: 's9', flexible: true });
    d.ok({ type: 'tick' }, '10:00');
    expect([d.status('tied'), d.status('untied'), d.status('flex')]).toEqual(['EXPIRED', 'WAITLISTED', 'WAITLISTED']);
    d.ok({ type: 'tick' }, '11:00');
    expect([d.status('untied'), d.status('flex')]).toEqual(['EXPIRED', 'EXPIRED']);
  });

  it('delay shrink: a 60-minute slot of capacity 6 delayed 20 minutes at 09:00 loses ceil(6×20/60) = 2 seats', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 6).slot('s10', '10:00', '11:00', 6);
    d.issue('p', 'PAID', { slotId: 's9', at: '08:00' });
    d.issue('w-early', 'WALKIN', { slotId: 's9', at: '08:01' });
    d.issue('f', 'FOLLOWUP', { slotId: 's9', at: '08:02' });
    d.issue('o1', 'ONLINE', { slotId: 's9', at: '08:03' });
    d.issue('o2', 'ONLINE', { slotId: 's9', at: '08:04' });
    d.issue('w-late', 'WALKIN', { slotId: 's9', at: '08:05' });
    d.ok({ type: 'checkIn', tokenId: 'w-late' }, '08:50');
    d.ok({ type: 'delayDoctor', minutes: 20 }, '08:55');
    expect(d.day.slotById.get('s9')!.capacity).toBe(4);
    expect(d.day.slotById.get('s10')!.capacity).toBe(6);
    expect(d.events('DoctorDelayed')).toEqual([
      { type: 'DoctorDelayed', at: at('08:55'), minutes: 20, mode: 'shrink', window: { from: at('09:00'), to: at('09:20') }, shiftedSlotIds: [] },
    ]);
    // greatest base rank, then latest issuedAt; the checked-in walk-in last
    expect(d.where('w-early')).toBe('ALLOCATED@s10');
    expect(d.where('o2')).toBe('ALLOCATED@s10');
    expect(d.where('w-late')).toBe('CHECKED_IN@s9');
    expect(d.occupied('s9')).toBe(4);
  });

  it('delay shrink across two slots: 30 minutes reported at 09:50 costs 09:00–10:00 ceil(6×10/60)=1 and 10:00–11:00 ceil(6×20/60)=2', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 6).slot('s10', '10:00', '11:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 30 }, '09:50');
    expect(d.day.slots.map((s) => s.capacity)).toEqual([5, 4]);
    expect(d.events('SlotCapacityChanged').map((e) => [e.slotId, e.from, e.to, e.reason])).toEqual([
      ['s9', 6, 5, 'doctor-delayed'],
      ['s10', 6, 4, 'doctor-delayed'],
    ]);
  });

  it('delay shift: the remaining slots start and end 30 minutes later; an ended slot stays', () => {
    const d = new Desk(policy({ delayMode: 'shift' })).slot('s9', '09:00', '10:00', 2).slot('s10', '10:00', '11:00', 2).slot('s11', '11:00', '12:00', 2);
    d.ok({ type: 'delayDoctor', minutes: 30 }, '10:20');
    expect(d.day.slots.map((s) => [s.id, s.start, s.end])).toEqual([
      ['s9', at('09:00'), at('10:00')],
      ['s10', at('10:30'), at('11:30')],
      ['s11', at('11:30'), at('12:30')],
    ]);
    expect(d.day.slots.map((s) => s.capacity)).toEqual([2, 2, 2]);
  });

  it('closing a slot (capacity 0) moves its ALLOCATED tokens, then its checked-in ones, to later seats or the waitlist', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 3).slot('s10', '10:00', '11:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('b', 'ONLINE', { slotId: 's9', at: '08:01' });
    d.issue('c', 'WALKIN', { slotId: 's9', at: '08:02' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '08:30');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:40');
    expect(d.occupied('s9')).toBe(0);
    expect(d.where('c')).toBe('ALLOCATED@s10');
    expect(d.where('b')).toBe('ALLOCATED@s10');
    expect(d.where('a')).toBe('WAITLISTED'); // checked in, so moved last, when 10:00 was full
    expect(d.events('TokenWaitlisted').at(-1)).toMatchObject({ tokenId: 'a', reason: 'moved', cause: 'slot-closed' });
  });

  it('a closed slot (capacity 0) takes nobody, not even an EMERGENCY on its +1 allowance', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('e1', 'EMERGENCY', { slotId: 's9' });
    d.issue('e2', 'EMERGENCY', { slotId: 's9' });
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:30');
    expect(d.occupied('s9')).toBe(0);
    d.issue('e3', 'EMERGENCY', { slotId: 's9', flexible: true });
    expect(d.where('e3')).not.toBe('ALLOCATED@s9');
  });

  it('the capacity of a slot that has ended is history: changing it is refused with SLOT_ENDED', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    expect(d.run({ type: 'changeCapacity', slotId: 's9', capacity: 1 }, '10:00')).toMatchObject({ ok: false, code: 'SLOT_ENDED' });
  });

  it('a new policy with ONLINE −2 at 09:50 moves nobody out of a 10:00 slot whose reserve is already due', () => {
    const d = new Desk().slot('s10', '10:00', '11:00', 4).slot('s11', '11:00', '12:00', 4);
    for (const id of ['a', 'b', 'c', 'd']) d.issue(id, 'ONLINE', { slotId: 's10' });
    d.policy = policy({ allowance: { EMERGENCY: 1, ONLINE: -2 } });
    d.ok({ type: 'tick' }, '09:50');
    expect(['a', 'b', 'c', 'd'].map((id) => d.where(id))).toEqual(Array(4).fill('ALLOCATED@s10'));
    expect(d.day.slotById.get('s11')!.reserveReleased).toBe(false);
  });

  it('a checked-in token moved to a later slot stays checked in', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 1).slot('s10', '10:00', '11:00', 1);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.ok({ type: 'checkIn', tokenId: 'a' }, '08:30');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '08:40');
    expect(d.where('a')).toBe('CHECKED_IN@s10');
  });

  it('called and completed tokens never move: closing a slot after two were seen keeps them', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('a', 'ONLINE', { slotId: 's9' });
    d.issue('b', 'ONLINE', { slotId: 's9' });
    for (const id of ['a', 'b']) d.ok({ type: 'checkIn', tokenId: id }, '09:00');
    d.ok({ type: 'callNext' }, '09:05');
    d.ok({ type: 'complete', tokenId: 'a' }, '09:15');
    d.ok({ type: 'callNext' }, '09:16');
    d.ok({ type: 'changeCapacity', slotId: 's9', capacity: 0 }, '09:20');
    expect([d.where('a'), d.where('b')]).toEqual(['COMPLETED@s9', 'CALLED@s9']);
  });

  it('estimatedAt = slot start + position × (60 minutes / capacity 4): 09:00, 09:15, 09:30', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    d.issue('o', 'ONLINE', { slotId: 's9', at: '08:00' });
    d.issue('w', 'WALKIN', { slotId: 's9', at: '08:01' });
    d.issue('p', 'PAID', { slotId: 's9', at: '08:02' });
    const eta = estimates(d.day.slotById.get('s9')!);
    expect([eta.get('p'), eta.get('o'), eta.get('w')]).toEqual([at('09:00'), at('09:15'), at('09:30')]);
  });

  it('a command whose now is earlier than the last event acts at that event\'s time (time never runs backwards)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 2);
    d.issue('first', 'WALKIN', { at: '09:30' });
    d.issue('a', 'WALKIN', { at: '09:00' });
    expect(d.token('a').issuedAt).toBe(at('09:30'));
  });
});
