// SPEC 7 call next and skip: a checked-in EMERGENCY of any slot that has not ended comes first; a
// skipped token goes behind every token of its slot checked in at that moment.
import { describe, expect, it } from 'vitest';
import { Desk, policy } from '../../test/kits/engine/test-kit.ts';
import type { Source } from './types.ts';

const called = (d: Desk) => {
  const out = d.run({ type: 'callNext' });
  return out.ok ? out.tokenId : out.code;
};

function checkedIn(d: Desk, tokenId: string, source: Source, slotId: string, hhmm: string) {
  d.issue(tokenId, source, { slotId, at: hhmm });
  d.ok({ type: 'checkIn', tokenId });
}

describe('SPEC 7 call next: emergency first', () => {
  it('a checked-in EMERGENCY of a later slot comes before the checked-in tokens of the earlier slot', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'p', 'PAID', 's9', '08:00');
    checkedIn(d, 'e', 'EMERGENCY', 's10', '08:10');
    d.now = d.now + 50 * 60_000; // 09:00
    expect(called(d)).toBe('e');
    d.ok({ type: 'complete', tokenId: 'e' });
    expect(called(d)).toBe('p');
  });

  it('between emergencies, the earliest issued, whatever its slot', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'e2', 'EMERGENCY', 's10', '08:00');
    checkedIn(d, 'e1', 'EMERGENCY', 's9', '08:05');
    checkedIn(d, 'e3', 'EMERGENCY', 's9', '08:10');
    expect(called(d)).toBe('e2');
    d.ok({ type: 'complete', tokenId: 'e2' });
    expect(called(d)).toBe('e1');
  });

  it('between emergencies of two slots, the earlier slot\'s when it was issued first', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'e1', 'EMERGENCY', 's9', '08:00');
    checkedIn(d, 'e2', 'EMERGENCY', 's10', '08:05');
    expect(called(d)).toBe('e1');
    d.ok({ type: 'complete', tokenId: 'e1' });
    expect(called(d)).toBe('e2');
  });

  it('an emergency of a slot that has ended is not first: the earliest slot with a checked-in token is served first', () => {
    const d = new Desk().slot('s8', '08:00', '08:30', 4).slot('s9', '08:30', '09:00', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'w', 'WALKIN', 's8', '07:00');
    checkedIn(d, 'e', 'EMERGENCY', 's9', '07:10');
    d.now = d.now + 120 * 60_000; // 09:10: s8 and s9 have ended, s10 has not
    expect([called(d), called(d)]).toEqual(['w', 'e']);
  });

  it('an emergency of an open slot comes before the checked-in tokens of an ended one', () => {
    const d = new Desk().slot('s8', '08:00', '08:30', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'w', 'WALKIN', 's8', '07:00');
    checkedIn(d, 'e', 'EMERGENCY', 's10', '07:10');
    d.now = d.now + 120 * 60_000; // 09:10
    expect([called(d), called(d)]).toEqual(['e', 'w']);
  });

  it('without a checked-in emergency, as before: the earliest slot with a checked-in token, in serving order', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4).slot('s10', '10:00', '11:00', 4);
    checkedIn(d, 'p', 'PAID', 's10', '08:00');
    checkedIn(d, 'w', 'WALKIN', 's9', '08:10');
    checkedIn(d, 'f', 'FOLLOWUP', 's9', '08:20');
    expect([called(d), called(d), called(d), called(d)]).toEqual(['f', 'w', 'p', 'QUEUE_EMPTY']);
  });
});

describe('SPEC 7 skip: behind every token of its slot checked in at that moment', () => {
  it('the skipped token is called after the others of its slot, and skips grows', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    checkedIn(d, 'p', 'PAID', 's9', '08:00');
    checkedIn(d, 'f', 'FOLLOWUP', 's9', '08:10');
    checkedIn(d, 'w', 'WALKIN', 's9', '08:20');
    expect(called(d)).toBe('p');
    d.ok({ type: 'skip', tokenId: 'p' });
    expect(d.token('p')).toMatchObject({ status: 'CHECKED_IN', skips: 1 });
    expect([called(d), called(d), called(d)]).toEqual(['f', 'w', 'p']);
  });

  it('two skipped tokens come back in the order they were skipped, not by rank', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    checkedIn(d, 'w', 'WALKIN', 's9', '08:00');
    checkedIn(d, 'p', 'PAID', 's9', '08:10');
    checkedIn(d, 'f', 'FOLLOWUP', 's9', '08:20');
    expect(called(d)).toBe('p');
    d.ok({ type: 'skip', tokenId: 'p' });
    expect(called(d)).toBe('f');
    d.ok({ type: 'complete', tokenId: 'f' });
    expect(called(d)).toBe('w');
    d.ok({ type: 'skip', tokenId: 'w' });
    // p was skipped first: when w was skipped, p was checked in, so w goes behind p
    expect([called(d), called(d)]).toEqual(['p', 'w']);
  });

  it('a skipped emergency does not jump back first: the others of its slot are called first', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    checkedIn(d, 'e', 'EMERGENCY', 's9', '08:00');
    checkedIn(d, 'w', 'WALKIN', 's9', '08:10');
    expect(called(d)).toBe('e');
    d.ok({ type: 'skip', tokenId: 'e' });
    expect([called(d), called(d)]).toEqual(['w', 'e']);
  });

  it('the serving order and estimates show the skipped token last of its slot', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 4);
    checkedIn(d, 'p', 'PAID', 's9', '08:00');
    checkedIn(d, 'w', 'WALKIN', 's9', '08:10');
    called(d);
    d.ok({ type: 'skip', tokenId: 'p' });
    expect([...d.day.slotById.get('s9')!.serving.values()].map((t) => t.id)).toEqual(['w', 'p']);
  });

  it('beyond maxSkips the token becomes NO_SHOW', () => {
    const d = new Desk(policy({ maxSkips: 1 })).slot('s9', '09:00', '10:00', 4);
    checkedIn(d, 'p', 'PAID', 's9', '08:00');
    called(d);
    d.ok({ type: 'skip', tokenId: 'p' });
    expect(called(d)).toBe('p');
    d.ok({ type: 'skip', tokenId: 'p' });
    expect(d.status('p')).toBe('NO_SHOW');
    expect(d.events('TokenNoShow').at(-1)).toMatchObject({ tokenId: 'p', reason: 'max-skips' });
    expect(d.replayMatches()).toBe(true);
  });
});
