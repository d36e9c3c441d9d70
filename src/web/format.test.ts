// What the desk says about tokens, from API-shaped data: the answer to issuing one and its history.

import { describe, expect, it } from 'vitest';
import type { FeedEvent, IssuedToken, Schedule, Token } from './api.ts';
import { delayText, describeEvent, hhmm, issueMessage, movedNotice, ordinal, seats, slotLabel, slotsById, type MoveLookup } from './format.ts';

const at = (hhmm: string) => `2026-03-10T${hhmm}:00+05:30`;
const slot = (id: string, start: string, end: string, capacity: number, occupied: number) => ({ id, doctorId: 'd', start: at(start), end: at(end), capacity, occupied, room: null, tokens: [] });
const token = (over: Partial<Token>): Token => ({
  id: 't',
  number: 'GM-001',
  doctorId: 'd',
  slotId: null,
  source: 'WALKIN',
  status: 'ALLOCATED',
  patient: { name: 'Ravi Kumar' },
  issuedAt: at('08:30'),
  estimatedAt: null,
  bumps: 0,
  skips: 0,
  ...over,
});
const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  doctor: { id: 'd', name: 'Dr Asha Rao', department: 'General Medicine', room: null, code: 'GM', policy: {} },
  date: '2026-03-10',
  delay: null,
  slots: [slot('s9', '09:00', '10:00', 3, 3), slot('s10', '10:00', '11:00', 3, 1)],
  waitlist: [],
  finished: [],
  ...over,
});
const issued = (over: Partial<IssuedToken>): IssuedToken => ({ ...token(over), bumped: null, ...over });
const event = (e: Record<string, unknown>): FeedEvent => ({ seq: 1, doctorId: 'd', date: '2026-03-10', at: at('08:30'), type: 'X', ...e });

describe('times, slots and seats', () => {
  it('reads the wall-clock time the API string carries, whatever the browser zone', () => {
    expect(hhmm('2026-03-10T09:05:00+05:30')).toBe('09:05');
    expect(slotLabel({ start: at('09:00'), end: at('10:00') })).toBe('09:00–10:00');
  });

  it('counts ordinals as people say them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
  });

  it('splits occupied seats into used, free and overflow', () => {
    expect(seats({ capacity: 3, occupied: 1 })).toEqual({ used: 1, free: 2, overflow: 0 });
    expect(seats({ capacity: 3, occupied: 4 })).toEqual({ used: 3, free: 0, overflow: 1 });
    expect(seats({ capacity: 0, occupied: 0 })).toEqual({ used: 0, free: 0, overflow: 0 });
  });
});

describe('the answer to issuing a token', () => {
  it('names the source, the slot and the expected time', () => {
    const m = issueMessage(issued({ number: 'GM-012', slotId: 's10', estimatedAt: at('10:24') }), schedule());
    expect(m).toEqual({ headline: 'Walk-in GM-012 · 10:00–11:00 · expected 10:24', bumped: null });
    const here = issueMessage(issued({ number: 'GM-013', source: 'EMERGENCY', status: 'CHECKED_IN', slotId: 's9', estimatedAt: null }), schedule());
    expect(here.headline).toBe('Emergency GM-013 · 09:00–10:00 · checked in');
  });

  it('says the waitlist position from the doctor-day after the issue', () => {
    const waiting = [token({ id: 'a', number: 'GM-004', status: 'WAITLISTED' }), token({ id: 'b', number: 'GM-006', status: 'WAITLISTED' }), token({ id: 'c', number: 'GM-008', status: 'WAITLISTED' })];
    const m = issueMessage(issued({ id: 'c', number: 'GM-008', status: 'WAITLISTED' }), schedule({ waitlist: waiting }));
    expect(m.headline).toBe('Walk-in GM-008 · waitlisted, 3rd');
  });

  it('says who was moved to make room, and where to', () => {
    const moved = issueMessage(issued({ number: 'GM-009', source: 'PAID', slotId: 's9', bumped: token({ number: 'GM-004', slotId: 's10' }) }), schedule());
    expect(moved.bumped).toBe('GM-004 was moved to 10:00–11:00 to make room');
    const waits = issueMessage(issued({ number: 'GM-009', slotId: 's9', bumped: token({ number: 'GM-004', status: 'WAITLISTED' }) }), schedule());
    expect(waits.bumped).toBe('GM-004 was moved to the waitlist to make room');
  });
});

describe('a late doctor, in words', () => {
  it('says by how much and until when, or that the rest of the day runs later', () => {
    const reportedAt = at('09:00');
    expect(delayText({ mode: 'shrink', minutes: 40, from: at('09:30'), until: at('10:10'), reportedAt })).toBe('Running 40 min late, until 10:10');
    expect(delayText({ mode: 'shift', minutes: 20, from: at('09:30'), until: null, reportedAt })).toBe('Running 20 min late: the rest of the day runs 20 min later');
    expect(delayText(null)).toBeNull();
  });
});

describe('a patient moved by someone else, said at once', () => {
  const lookup: MoveLookup = {
    token: (id) => ({ t4: { number: 'GM-004', patient: { name: 'Asha' } }, t5: { number: 'GM-005' } })[id],
    slotLabel: (id) => ({ s9: '09:00–10:00', s10: '10:00–11:00' })[id],
    source: (id) => (id === 'e1' ? 'EMERGENCY' : id === 'p1' ? 'PAID' : undefined),
  };
  const base = { seq: 1, doctorId: 'd', date: '2026-03-10', at: at('09:10') };

  it('names the patient, where they went and who took the seat', () => {
    expect(movedNotice({ ...base, type: 'TokenBumped', tokenId: 't4', byTokenId: 'e1', fromSlotId: 's9', toSlotId: 's10' }, lookup)).toBe(
      'GM-004 (Asha) moved to 10:00–11:00: an emergency took the seat',
    );
    expect(movedNotice({ ...base, type: 'TokenBumped', tokenId: 't4', byTokenId: 'p1', fromSlotId: 's9', toSlotId: null }, lookup)).toBe(
      'GM-004 (Asha) moved to the waitlist: a paid token took the seat',
    );
  });

  it('says why a slot change moved someone, and says nothing of other events', () => {
    expect(movedNotice({ ...base, type: 'TokenAllocated', tokenId: 't5', slotId: 's10', reason: 'moved', fromSlotId: 's9', cause: 'doctor-delayed' }, lookup)).toBe(
      'GM-005 moved to 10:00–11:00: the doctor is running late',
    );
    expect(movedNotice({ ...base, type: 'TokenWaitlisted', tokenId: 't4', reason: 'moved', fromSlotId: 's9', cause: 'slot-closed' }, lookup)).toBe(
      'GM-004 (Asha) moved to the waitlist: the slot was closed',
    );
    expect(movedNotice({ ...base, type: 'TokenAllocated', tokenId: 't4', slotId: 's9', reason: 'promoted', cause: 'cancelled' }, lookup)).toBeNull();
    expect(movedNotice({ ...base, type: 'TokenCheckedIn', tokenId: 't4' }, lookup)).toBeNull();
  });
});

describe("a token's history in words", () => {
  const slots = slotsById(schedule());
  const numbers = new Map([
    ['t5', 'GM-005'],
    ['t1', 'GM-001'],
  ]);
  const say = (e: Record<string, unknown>) => describeEvent(event(e), slots, numbers);

  it('says why a token moved', () => {
    expect(say({ type: 'TokenIssued', tokenId: 't2', number: 'GM-002', source: 'WALKIN', request: { slotId: 's9', flexible: true } })).toBe(
      'Issued GM-002 (Walk-in), asking for 09:00–10:00 or later',
    );
    expect(say({ type: 'TokenBumped', tokenId: 't2', byTokenId: 't5', fromSlotId: 's9', toSlotId: 's10' })).toBe(
      'Bumped from 09:00–10:00 by GM-005 (higher priority); moved to 10:00–11:00',
    );
    expect(say({ type: 'TokenBumped', tokenId: 't2', byTokenId: 'tx', fromSlotId: 's9', toSlotId: null })).toBe(
      'Bumped from 09:00–10:00 by another token (higher priority); no later seat was free, so it waits',
    );
    expect(say({ type: 'TokenAllocated', tokenId: 't4', slotId: 's9', reason: 'promoted', cause: 'cancelled', causeTokenId: 't1' })).toBe(
      'Promoted from the waitlist into 09:00–10:00 because of a cancellation',
    );
    expect(say({ type: 'TokenAllocated', tokenId: 't4', slotId: 's10', fromSlotId: 's9', reason: 'moved', cause: 'doctor-delayed' })).toBe(
      'Moved from 09:00–10:00 to 10:00–11:00 because of the doctor running late',
    );
    expect(say({ type: 'TokenWaitlisted', tokenId: 't4', tie: { slotId: null, flexible: false }, reason: 'moved', fromSlotId: 's9', cause: 'slot-closed' })).toBe(
      'Moved from 09:00–10:00 to the waitlist because of the slot closing',
    );
    expect(say({ type: 'TokenAllocated', tokenId: 't5', slotId: 's9', reason: 'preempted-other', bumpedTokenId: 't1' })).toBe(
      'Seated in 09:00–10:00, taking the seat of GM-001 by priority',
    );
  });

  it('names every way a token ends', () => {
    expect(say({ type: 'TokenNoShow', tokenId: 't', auto: true, reason: 'grace-expired' })).toBe('No-show: not checked in before the slot ended');
    expect(say({ type: 'TokenNoShow', tokenId: 't', auto: false, reason: 'staff' })).toBe('Marked as no-show at the desk');
    expect(say({ type: 'TokenNoShow', tokenId: 't', auto: true, reason: 'max-skips' })).toBe('No-show: skipped too many times');
    expect(say({ type: 'TokenSkipped', tokenId: 't', skips: 2 })).toBe('Skipped by the doctor (2nd time)');
    expect(say({ type: 'TokenExpired', tokenId: 't' })).toBe('Expired: no slot left that day');
  });

  it('falls back to the event type for what it does not know, rather than saying nothing', () => {
    expect(say({ type: 'SomethingNew' })).toBe('SomethingNew');
  });
});
