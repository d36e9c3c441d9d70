// SPEC 6 estimates past a delay: `estimatedAt` never falls inside the window a reported delay took
// away, and the delay in force (how much, until when) is there for the desk, console and board.
import { describe, expect, it } from 'vitest';
import { delayInForce, estimateOf, estimates, lostWindows, schedule, tokenView } from './queries.ts';
import { Desk, at, policy } from '../../test/kits/engine/test-kit.ts';

const slot = (d: Desk, id: string) => d.day.slotById.get(id)!;

describe('SPEC 6 estimatedAt past a delay (shrink)', () => {
  it('a delay at the slot start: estimates spread over the time the doctor still has, from the end of the lost window', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 6);
    for (const id of ['a', 'b', 'c', 'd']) d.issue(id, 'WALKIN', { at: '08:00' });
    d.ok({ type: 'delayDoctor', minutes: 20 }, '09:00');
    expect(slot(d, 's9').capacity).toBe(4); // 6 − ceil(6 × 20 / 60)
    const expected = [at('09:20'), at('09:30'), at('09:40'), at('09:50')];
    expect(['a', 'b', 'c', 'd'].map((id) => estimates(slot(d, 's9'), lostWindows(d.day)).get(id))).toEqual(expected);
    expect(['a', 'b', 'c', 'd'].map((id) => estimateOf(slot(d, 's9'), d.token(id), lostWindows(d.day)))).toEqual(expected);
    expect(['a', 'b', 'c', 'd'].map((id) => tokenView(d.day, d.token(id)).estimatedAt)).toEqual(expected);
    expect(schedule(d.day).slots[0]!.tokens.map((t) => t.estimatedAt)).toEqual(expected);
  });

  it('a window across two slots: the closed slot seats nobody, the next one starts at the end of the window', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '09:30', 3).slot('s930', '09:30', '10:30', 6);
    for (const id of ['a', 'b']) d.issue(id, 'WALKIN', { slotId: 's930', at: '08:00' });
    d.ok({ type: 'delayDoctor', minutes: 45 }, '09:00');
    expect(slot(d, 's9').capacity).toBe(0);
    expect(slot(d, 's930').capacity).toBe(4); // 6 − ceil(6 × 15 / 60)
    // 45 working minutes for 4 seats: 11¼ minutes each, from 09:45
    expect(tokenView(d.day, d.token('a')).estimatedAt).toBe(at('09:45'));
    expect(tokenView(d.day, d.token('b')).estimatedAt).toBe(at('09:56') + 15_000);
  });

  it('a delay reported in the middle of a slot: who comes after the window is estimated after it, never inside it', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 6).slot('s10', '10:00', '11:00', 6);
    for (const id of ['a', 'b', 'c', 'd']) d.issue(id, 'WALKIN', { slotId: 's9', at: '08:00' });
    for (const id of ['a', 'b', 'c', 'd']) d.ok({ type: 'checkIn', tokenId: id });
    d.ok({ type: 'callNext' }, '09:00');
    d.ok({ type: 'complete', tokenId: 'a' }, '09:10');
    d.ok({ type: 'callNext' }, '09:10');
    d.ok({ type: 'complete', tokenId: 'b' }, '09:20');
    d.ok({ type: 'delayDoctor', minutes: 20 }, '09:20'); // lost: [09:20, 09:40); s9 keeps 4 seats over 40 minutes
    expect(lostWindows(d.day)).toEqual([{ from: at('09:20'), to: at('09:40') }]);
    const eta = estimates(slot(d, 's9'), lostWindows(d.day));
    expect(eta.get('a')).toBe(at('09:00')); // called: its time is when it was called
    expect(eta.get('b')).toBe(at('09:10'));
    // positions 2 and 3 at 10 working minutes each: 09:20 is lost, so 09:40 and 09:50
    expect(eta.get('c')).toBe(at('09:40'));
    expect(eta.get('d')).toBe(at('09:50'));
  });

  it('two reports that overlap make one lost window', () => {
    const d = new Desk().slot('s9', '09:00', '12:00', 12);
    d.ok({ type: 'delayDoctor', minutes: 40 }, '09:00');
    d.ok({ type: 'delayDoctor', minutes: 40 }, '09:10');
    d.ok({ type: 'delayDoctor', minutes: 10 }, '11:00');
    expect(lostWindows(d.day)).toEqual([
      { from: at('09:00'), to: at('09:50') },
      { from: at('11:00'), to: at('11:10') },
    ]);
  });

  it('lost windows come in time order, even when a slot created later, before the others, got a later report an earlier window', () => {
    const d = new Desk().slot('s10', '10:00', '11:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 30 }, '08:00'); // first slot 10:00: [10:00, 10:30)
    d.slot('s9', '09:00', '10:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 10 }, '08:30'); // first slot now 09:00: [09:00, 09:10)
    expect(lostWindows(d.day)).toEqual([
      { from: at('09:00'), to: at('09:10') },
      { from: at('10:00'), to: at('10:30') },
    ]);
  });

  it('windows that touch make one lost window', () => {
    const d = new Desk().slot('s9', '09:00', '12:00', 12);
    d.ok({ type: 'delayDoctor', minutes: 20 }, '09:00');
    d.ok({ type: 'delayDoctor', minutes: 10 }, '09:20');
    expect(lostWindows(d.day)).toEqual([{ from: at('09:00'), to: at('09:30') }]);
  });

  it('a report inside a window already lost adds nothing to it', () => {
    const d = new Desk().slot('s9', '09:00', '12:00', 12);
    d.ok({ type: 'delayDoctor', minutes: 90 }, '08:00'); // [09:00, 10:30)
    d.ok({ type: 'delayDoctor', minutes: 10 }, '09:30'); // [09:30, 09:40)
    expect(lostWindows(d.day)).toEqual([{ from: at('09:00'), to: at('10:30') }]);
  });

  it('a window that ended before a slot starts does not move its estimates', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 6).slot('s10', '10:00', '11:00', 6);
    for (const id of ['a', 'b']) d.issue(id, 'WALKIN', { slotId: 's10', at: '08:00' });
    d.ok({ type: 'delayDoctor', minutes: 20 }, '09:00'); // [09:00, 09:20): s9 only
    expect(slot(d, 's10').capacity).toBe(6);
    expect(['a', 'b'].map((id) => tokenView(d.day, d.token(id)).estimatedAt)).toEqual([at('10:00'), at('10:10')]);
  });

  it('who comes before a window later in the slot is estimated as if there were none before it', () => {
    const d = new Desk(policy({ preemption: 'off' })).slot('s9', '09:00', '10:00', 6);
    for (const id of ['a', 'b', 'c', 'd']) d.issue(id, 'WALKIN', { at: '08:00' });
    d.ok({ type: 'delayDoctor', minutes: 20 }, '09:20'); // [09:20, 09:40): 4 seats over 40 minutes, 10 each
    expect(slot(d, 's9').capacity).toBe(4);
    const expected = [at('09:00'), at('09:10'), at('09:40'), at('09:50')];
    expect(['a', 'b', 'c', 'd'].map((id) => estimates(slot(d, 's9'), lostWindows(d.day)).get(id))).toEqual(expected);
    expect(['a', 'b', 'c', 'd'].map((id) => estimateOf(slot(d, 's9'), d.token(id), lostWindows(d.day)))).toEqual(expected);
  });

  it('without a delay, estimates are the slot start + position × (slot minutes / capacity)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    for (const id of ['a', 'b']) d.issue(id, 'WALKIN', { at: '08:00' });
    expect([...estimates(slot(d, 's9'), lostWindows(d.day)).values()]).toEqual([at('09:00'), at('09:15')]);
  });
});

describe('SPEC 6 the delay in force: how much, until when', () => {
  it('shrink: from the report until the lost window ends; reported before the clinic opens, it counts from the first slot', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    expect(delayInForce(d.day, at('08:00'))).toBeNull();
    d.ok({ type: 'delayDoctor', minutes: 40 }, '08:30');
    const late = { mode: 'shrink', minutes: 40, from: at('09:00'), until: at('09:40'), reportedAt: at('08:30') };
    expect(delayInForce(d.day, at('08:30'))).toEqual(late);
    expect(delayInForce(d.day, at('09:39'))).toEqual(late);
    expect(delayInForce(d.day, at('09:40'))).toBeNull();
  });

  it('shrink: a second report that overlaps extends the delay in force', () => {
    const d = new Desk().slot('s9', '09:00', '12:00', 12);
    d.ok({ type: 'delayDoctor', minutes: 40 }, '09:00');
    d.ok({ type: 'delayDoctor', minutes: 40 }, '09:10');
    expect(delayInForce(d.day, at('09:20'))).toEqual({ mode: 'shrink', minutes: 50, from: at('09:00'), until: at('09:50'), reportedAt: at('09:10') });
  });

  it('shrink: the delay in force is the first window not yet over, reported when its own reports were made', () => {
    const d = new Desk().slot('s10', '10:00', '11:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 30 }, '08:00'); // [10:00, 10:30)
    d.slot('s9', '09:00', '10:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 10 }, '08:30'); // [09:00, 09:10)
    expect(delayInForce(d.day, at('08:45'))).toEqual({ mode: 'shrink', minutes: 10, from: at('09:00'), until: at('09:10'), reportedAt: at('08:30') });
    // the earlier window is over: the one in force was reported at 08:00, not at the later report of the window before it
    expect(delayInForce(d.day, at('09:15'))).toEqual({ mode: 'shrink', minutes: 30, from: at('10:00'), until: at('10:30'), reportedAt: at('08:00') });
  });

  it('shrink: later reports of a later window or of a shift do not change when the delay in force was reported', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 6).slot('s10', '10:00', '11:00', 6);
    d.ok({ type: 'delayDoctor', minutes: 20 }, '08:00'); // [09:00, 09:20)
    d.policy = policy({ delayMode: 'shift' });
    d.ok({ type: 'delayDoctor', minutes: 60 }, '08:10'); // s9 now 10:00–11:00
    d.policy = policy({ delayMode: 'shrink' });
    d.ok({ type: 'delayDoctor', minutes: 10 }, '08:20'); // first slot 10:00: [10:00, 10:10)
    expect(lostWindows(d.day)).toEqual([
      { from: at('09:00'), to: at('09:20') },
      { from: at('10:00'), to: at('10:10') },
    ]);
    expect(delayInForce(d.day, at('08:30'))).toEqual({ mode: 'shrink', minutes: 20, from: at('09:00'), until: at('09:20'), reportedAt: at('08:00') });
  });

  it('shift: the rest of the day runs late by the minutes reported, until its last slot ends', () => {
    const d = new Desk(policy({ delayMode: 'shift' })).slot('s9', '09:00', '10:00', 4);
    d.ok({ type: 'delayDoctor', minutes: 30 }, '09:00');
    d.ok({ type: 'delayDoctor', minutes: 10 }, '09:05');
    expect(delayInForce(d.day, at('09:20'))).toEqual({ mode: 'shift', minutes: 40, from: at('09:00'), until: null, reportedAt: at('09:05') });
    expect(slot(d, 's9').end).toBe(at('10:40'));
    expect(delayInForce(d.day, at('10:40'))).toBeNull();
  });
});
