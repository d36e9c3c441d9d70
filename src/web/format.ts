// What the desk says, in words: times, slots, the answer to issuing a token, and a token's history
// ("why was my token moved?"). Pure functions of API data, tested in format.test.ts.

import type { WireEvent } from '../shared/feed-events.ts';
import type { Cause, Source } from '../shared/vocabulary.ts';
import type { FeedEvent, IssuedToken, Schedule, ScheduleSlot, Token } from './api.ts';

/** "09:05" from an API time: the wall-clock time in the hospital's zone, which the string carries. */
export function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

export function slotLabel(slot: { start: string; end: string }): string {
  return `${hhmm(slot.start)}–${hhmm(slot.end)}`;
}

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "2 Dec" for 2026-12-02: a hospital-local date as the desk says it. */
export function dayMonth(date: string): string {
  return DAY_MONTH.format(new Date(`${date}T00:00:00Z`));
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export const SOURCE_LABEL: Record<Source, string> = {
  EMERGENCY: 'Emergency',
  PAID: 'Paid',
  FOLLOWUP: 'Follow-up',
  ONLINE: 'Online',
  WALKIN: 'Walk-in',
};

export const STATUS_LABEL: Record<Token['status'], string> = {
  WAITLISTED: 'Waitlisted',
  ALLOCATED: 'Booked',
  CHECKED_IN: 'Checked in',
  CALLED: 'With doctor',
  COMPLETED: 'Seen',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'No-show',
  EXPIRED: 'Expired',
};

/** Seats of a slot as the desk counts them: used within capacity, free, and beyond capacity (overflow). */
export function seats(slot: { capacity: number; occupied: number }): { used: number; free: number; overflow: number } {
  return {
    used: Math.min(slot.occupied, slot.capacity),
    free: Math.max(0, slot.capacity - slot.occupied),
    overflow: Math.max(0, slot.occupied - slot.capacity),
  };
}

/** The slots of a schedule by id, for naming them. */
export function slotsById(schedule: Schedule | undefined): Map<string, ScheduleSlot> {
  return new Map((schedule?.slots ?? []).map((s) => [s.id, s]));
}

/** "in 09:00–10:00", or "in another slot" when the slot is not in the schedule at hand. */
function inSlot(slots: Map<string, { start: string; end: string }>, slotId: string | null | undefined): string {
  const slot = slotId === null || slotId === undefined ? undefined : slots.get(slotId);
  return slot ? slotLabel(slot) : 'another slot';
}

/**
 * What happened when a token was issued, said plainly: the first line names the source, the number,
 * the slot and the expected time ("Walk-in GM-012 · 10:00–11:00 · expected 10:24"), or the waitlist
 * position ("Walk-in GM-013 · waitlisted, 3rd"); the second the token it displaced, if any.
 * `schedule` is the doctor-day after the issue (for the waitlist position and slot times).
 */
export function issueMessage(issued: IssuedToken, schedule: Schedule): { headline: string; bumped: string | null } {
  const slots = slotsById(schedule);
  const parts = [`${SOURCE_LABEL[issued.source]} ${issued.number}`];
  if (issued.status === 'WAITLISTED') {
    const position = schedule.waitlist.findIndex((t) => t.id === issued.id);
    parts.push(position >= 0 ? `waitlisted, ${ordinal(position + 1)}` : 'waitlisted');
  } else {
    parts.push(inSlot(slots, issued.slotId));
    if (issued.estimatedAt) parts.push(`expected ${hhmm(issued.estimatedAt)}`);
    if (issued.status === 'CHECKED_IN') parts.push('checked in');
  }
  const b = issued.bumped;
  const bumped =
    b === null ? null : b.status === 'WAITLISTED' ? `${b.number} was moved to the waitlist to make room` : `${b.number} was moved to ${inSlot(slots, b.slotId)} to make room`;
  return { headline: parts.join(' · '), bumped };
}

/** "Running 40 min late, until 10:10" (a lost window), or "…: the rest of the day runs 40 min later" (shift). */
export function delayText(delay: Schedule['delay']): string | null {
  if (delay === null) return null;
  return delay.until === null
    ? `Running ${delay.minutes} min late: the rest of the day runs ${delay.minutes} min later`
    : `Running ${delay.minutes} min late, until ${hhmm(delay.until)}`;
}

/** Who took a seat, as the receptionist says it: "an emergency took the seat". */
const TAKER: Record<Source, string> = {
  EMERGENCY: 'an emergency',
  PAID: 'a paid token',
  FOLLOWUP: 'a follow-up',
  ONLINE: 'an online booking',
  WALKIN: 'a walk-in',
};

/** Why a token had to move, after the colon of a notice. */
const MOVED_BECAUSE: Partial<Record<Cause, string>> = {
  'capacity-reduced': 'the slot has fewer seats now',
  'slot-closed': 'the slot was closed',
  'doctor-delayed': 'the doctor is running late',
  'policy-changed': "the doctor's rules changed",
};

/** What the desk knows about the tokens and slots an event names. */
export interface MoveLookup {
  token: (id: string) => { number: string; patient?: { name: string } | null } | undefined;
  slotLabel: (id: string) => string | undefined;
  /** The source of a token that took a seat (it may be new: read from its TokenIssued). */
  source: (id: string) => Source | undefined;
}

/**
 * A patient moved by someone else's doing, said at once to the receptionist, from the live feed:
 * "GM-004 (Asha) moved to 10:00–11:00: an emergency took the seat". null for any other event.
 */
export function movedNotice(event: WireEvent, lookup: MoveLookup): string | null {
  let tokenId: string;
  let to: string;
  let why: string;
  switch (event.type) {
    case 'TokenBumped': {
      tokenId = event.tokenId;
      to = event.toSlotId === null ? 'the waitlist' : (lookup.slotLabel(event.toSlotId) ?? 'a later slot');
      const taker = lookup.source(event.byTokenId);
      why = `${taker ? TAKER[taker] : 'a patient of higher priority'} took the seat`;
      break;
    }
    case 'TokenAllocated':
    case 'TokenWaitlisted':
      if (event.reason !== 'moved') return null;
      tokenId = event.tokenId;
      to = event.type === 'TokenWaitlisted' ? 'the waitlist' : (lookup.slotLabel(event.slotId) ?? 'a later slot');
      why = (event.cause && MOVED_BECAUSE[event.cause]) ?? 'its slot changed';
      break;
    default:
      return null;
  }
  const t = lookup.token(tokenId);
  const who = t === undefined ? 'A patient' : t.patient ? `${t.number} (${t.patient.name})` : t.number;
  return `${who} moved to ${to}: ${why}`;
}

/** An event of the feed or of a token's history, as the desk reads it. */
export type HistoryEvent = WireEvent;

const CAUSE: Record<Cause, string> = {
  cancelled: 'a cancellation',
  'no-show': 'a no-show',
  'capacity-raised': 'more seats in the slot',
  'capacity-reduced': 'fewer seats in the slot',
  'slot-closed': 'the slot closing',
  'slot-added': 'a new slot',
  'reserve-released': 'reserved seats opening to everyone',
  'policy-changed': "a change of the doctor's rules",
  'doctor-delayed': 'the doctor running late',
};

/**
 * One line of a token's history. `slots` names slots by id, `numbers` tokens by id (the other token
 * of a bump); unknown ids are described without their name.
 */
export function describeEvent(event: FeedEvent, slots: Map<string, { start: string; end: string }>, numbers: Map<string, string>): string {
  const e = event as HistoryEvent;
  const other = (id: string | undefined) => (id === undefined ? 'another token' : (numbers.get(id) ?? 'another token'));
  const because = (cause: Cause | undefined) => (cause === undefined ? '' : ` because of ${CAUSE[cause]}`);
  switch (e.type) {
    case 'TokenIssued': {
      const asked = e.request.slotId === null ? 'any slot' : `${inSlot(slots, e.request.slotId)}${e.request.flexible ? ' or later' : ''}`;
      const from = e.transferredFrom ? `, transferred from ${e.transferredFrom.number} of ${dayMonth(e.transferredFrom.date)}` : '';
      return `Issued ${e.number} (${SOURCE_LABEL[e.source]}), asking for ${asked}${from}`;
    }
    case 'TokenAllocated':
      switch (e.reason) {
        case 'free-seat':
          return `Seated in ${inSlot(slots, e.slotId)} (a free seat)`;
        case 'overflow':
          return `Seated in ${inSlot(slots, e.slotId)} on the emergency overflow seat`;
        case 'preempted-other':
          return `Seated in ${inSlot(slots, e.slotId)}, taking the seat of ${other(e.bumpedTokenId)} by priority`;
        case 'promoted':
          return `Promoted from the waitlist into ${inSlot(slots, e.slotId)}${because(e.cause)}`;
        case 'moved':
          return `Moved from ${inSlot(slots, e.fromSlotId)} to ${inSlot(slots, e.slotId)}${because(e.cause)}`;
      }
      break;
    case 'TokenWaitlisted':
      return e.reason === 'moved' ? `Moved from ${inSlot(slots, e.fromSlotId)} to the waitlist${because(e.cause)}` : 'Waitlisted: no free seat';
    case 'TokenBumped':
      return `Bumped from ${inSlot(slots, e.fromSlotId)} by ${other(e.byTokenId)} (higher priority); ${
        e.toSlotId === null ? 'no later seat was free, so it waits' : `moved to ${inSlot(slots, e.toSlotId)}`
      }`;
    case 'TokenCheckedIn':
      return 'Checked in at the desk';
    case 'TokenCalled':
      return 'Called in by the doctor';
    case 'TokenSkipped':
      return `Skipped by the doctor (${ordinal(e.skips)} time)`;
    case 'TokenCompleted':
      return 'Seen by the doctor';
    case 'TokenCancelled':
      return e.transferredTo ? `Transferred: now ${e.transferredTo.number} of ${dayMonth(e.transferredTo.date)} (this token is cancelled)` : 'Cancelled';
    case 'TokenNoShow':
      return e.reason === 'staff'
        ? 'Marked as no-show at the desk'
        : e.reason === 'max-skips'
          ? 'No-show: skipped too many times'
          : 'No-show: not checked in before the slot ended';
    case 'TokenExpired':
      return 'Expired: no slot left that day';
    case 'TokenAged':
      return `Moved up the queue for waiting long (priority ${e.effectiveRank})`;
    case 'SlotCapacityChanged':
      return `Slot ${inSlot(slots, e.slotId)} changed from ${e.from} to ${e.to} seats`;
    case 'DoctorDelayed':
      return `The doctor is running ${e.minutes} minutes late`;
  }
  return e.type;
}

/** The patient's name as staff read it; once the patient's data was erased, say so. */
export function patientName(t: { patient: { name: string } | null }): string {
  return t.patient?.name ?? 'Patient data erased';
}
