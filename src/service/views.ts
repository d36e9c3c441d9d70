// Engine state and events as the desk shows them: ISO times in the hospital's zone, token numbers,
// and a feed that never carries a patient's name or phone.

import { delayInForce, estimates, lostWindows, servingOrder, tiedWaitlist, tokenView as engineTokenView, waitlist, type DoctorDay, type DoctorDayEvent, type Slot as EngineSlot, type Token as EngineToken } from '../engine/index.ts';
import type { DoctorRecord, SlotRow, StoredEvent, TokenRow } from '../store/store.ts';
import { formatIso } from '../time/local-time.ts';
import type { Delay, Doctor, FeedEvent, Schedule, Slot, SlotDetail, Token } from './types.ts';

export function doctorView(d: DoctorRecord): Doctor {
  return { id: d.id, name: d.name, department: d.department, room: d.room, code: d.code, policy: d.policy };
}

/** `doctorRoom`: where a slot without a room of its own is held (the doctor's room, as it is now). */
export function slotView(day: DoctorDay, s: EngineSlot, tz: string, doctorRoom: string | null): Slot {
  return { id: s.id, doctorId: day.doctorId, start: formatIso(s.start, tz), end: formatIso(s.end, tz), capacity: s.capacity, occupied: s.occupied, room: s.room ?? doctorRoom };
}

/** The engine's view of a token with the hospital's ISO times; its patient still to be joined (null). */
export function tokenView(day: DoctorDay, t: EngineToken, tz: string, eta?: Map<string, number>): Token {
  const v = engineTokenView(day, t, eta ? (eta.get(t.id) ?? null) : undefined);
  // The patient is joined from the personal data by the service (personal-desk.ts); the key stays inside.
  return {
    id: v.id,
    number: v.number,
    doctorId: v.doctorId,
    slotId: v.slotId,
    source: v.source,
    status: v.status,
    patient: null,
    issuedAt: formatIso(v.issuedAt, tz),
    estimatedAt: v.estimatedAt === null ? null : formatIso(v.estimatedAt, tz),
    bumps: v.bumps,
    skips: v.skips,
    ...(v.transferredFrom ? { transferredFrom: v.transferredFrom } : {}),
    ...(v.transferredTo ? { transferredTo: v.transferredTo } : {}),
  };
}

export function slotDetailView(day: DoctorDay, s: EngineSlot, tz: string, doctorRoom: string | null): SlotDetail {
  const eta = estimates(s, lostWindows(day));
  return {
    ...slotView(day, s, tz, doctorRoom),
    tokens: servingOrder(s).map((t) => tokenView(day, t, tz, eta)),
    waitlist: tiedWaitlist(day, s).map((t) => tokenView(day, t, tz)),
  };
}

/** The doctor's delay in force at `now` (SPEC 6), for the desk, console and board to say so; else null. */
export function delayView(day: DoctorDay, now: number, tz: string): Delay | null {
  const d = delayInForce(day, now);
  if (!d) return null;
  return { mode: d.mode, minutes: d.minutes, from: formatIso(d.from, tz), until: d.until === null ? null : formatIso(d.until, tz), reportedAt: formatIso(d.reportedAt, tz) };
}

export function scheduleView(doctor: DoctorRecord, day: DoctorDay, tz: string, now: number): Schedule {
  const lost = lostWindows(day);
  return {
    doctor: doctorView(doctor),
    date: day.date,
    delay: delayView(day, now, tz),
    slots: day.slots.map((s) => {
      const eta = estimates(s, lost);
      return { ...slotView(day, s, tz, doctor.room), tokens: servingOrder(s).map((t) => tokenView(day, t, tz, eta)) };
    }),
    waitlist: waitlist(day).map((t) => tokenView(day, t, tz)),
    finished: finishedOf(day).map((t) => tokenView(day, t, tz)),
  };
}

/** Tokens whose visit ended without a seat (cancelled, no-show, expired): by number, the order they were issued. */
function finishedOf(day: DoctorDay): EngineToken[] {
  const out: EngineToken[] = [];
  for (const t of day.tokens.values()) if (t.status === 'CANCELLED' || t.status === 'NO_SHOW' || t.status === 'EXPIRED') out.push(t);
  return out.sort((a, b) => a.number - b.number);
}

export function slotRow(day: DoctorDay, s: EngineSlot): SlotRow {
  return { doctorId: day.doctorId, date: day.date, id: s.id, start: s.start, end: s.end, capacity: s.capacity, occupied: s.occupied };
}

export function tokenRow(day: DoctorDay, t: EngineToken): TokenRow {
  return {
    doctorId: day.doctorId,
    date: day.date,
    id: t.id,
    number: t.label,
    slotId: t.status === 'WAITLISTED' ? null : t.slotId,
    source: t.source,
    status: t.status,
    issuedAt: t.issuedAt,
    bumps: t.bumps,
    skips: t.skips,
  };
}

/** The tokens and slots an event touches, for the projection rows to rewrite. */
export function touched(e: DoctorDayEvent): { tokenId?: string; slotIds: string[] } {
  switch (e.type) {
    case 'SlotCreated':
      return { slotIds: [e.slot.id] };
    case 'SlotCapacityChanged':
    case 'SlotReserveReleased':
      return { slotIds: [e.slotId] };
    case 'DoctorDelayed':
      return { slotIds: e.shiftedSlotIds };
    case 'PolicyChanged':
    case 'SlotRemoved': // its row is deleted, not rewritten (DeskCore.write)
      return { slotIds: [] };
    case 'TokenAllocated':
      return { tokenId: e.tokenId, slotIds: e.fromSlotId === undefined ? [e.slotId] : [e.slotId, e.fromSlotId] };
    case 'TokenWaitlisted':
      return { tokenId: e.tokenId, slotIds: e.fromSlotId === undefined ? [] : [e.fromSlotId] };
    case 'TokenBumped':
      return { tokenId: e.tokenId, slotIds: e.toSlotId === null ? [e.fromSlotId] : [e.fromSlotId, e.toSlotId] };
    default:
      return { tokenId: e.tokenId, slotIds: [] };
  }
}

/** An event for the feed and histories: ISO times, and no patient names or phones. */
export function feedEvent(stored: StoredEvent, tz: string): FeedEvent {
  const e = stored.event;
  const base = { seq: stored.seq, doctorId: stored.doctorId, date: stored.date, type: e.type, at: formatIso(e.at, tz) };
  switch (e.type) {
    case 'TokenIssued':
      // The number people see (GM-007); never the patient.
      return {
        ...base,
        tokenId: e.tokenId,
        number: e.label,
        source: e.source,
        request: e.request,
        ...(e.arrived ? { arrived: true } : {}),
        // A transferred patient's new token names the old one (its number, never the patient).
        ...(e.transferredFrom ? { transferredFrom: { ...e.transferredFrom } } : {}),
      };
    case 'SlotCreated':
      return { ...base, slot: { ...e.slot, start: formatIso(e.slot.start, tz), end: formatIso(e.slot.end, tz) } };
    case 'DoctorDelayed': {
      const { at: _at, type: _type, window, ...rest } = e;
      return { ...base, ...rest, window: window && { from: formatIso(window.from, tz), to: formatIso(window.to, tz) } };
    }
    default: {
      const { at: _at, type: _type, ...rest } = e;
      return { ...base, ...rest };
    }
  }
}
