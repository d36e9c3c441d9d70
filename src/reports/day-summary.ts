// What one doctor-day comes to, read from its event log (the truth): tokens by source and outcome,
// waits from check-in to call, the doctor's first call, last patient and overtime, seats used per
// slot, and how many tokens were bumped, moved or promoted. Pure: no clock, no store, and never a
// patient's name, phone or id (the summary is kept in the database and may outlive personal data).

import { SEATED, SOURCES, type DoctorDayEvent, type Millis, type Source, type TokenStatus } from '../engine/index.ts';

/** How a token ended: seen by the doctor, did not come, cancelled, never got a seat, or not over yet. */
export const OUTCOMES = ['seen', 'noShow', 'cancelled', 'expired', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Bump this when the summary's meaning changes: every stored summary of an older format is rebuilt. */
export const SUMMARY_FORMAT = 1;

export interface SlotUse {
  start: Millis;
  end: Millis;
  /** The slot's capacity at the end of the log (0: closed). */
  capacity: number;
  /** Tokens that ended the day seated in it (seen, with the doctor, waiting inside, or booked and not yet due). */
  used: number;
}

export interface DaySummary {
  /** Tokens issued, by source then outcome (missing: none). */
  tokens: Partial<Record<Source, Partial<Record<Outcome, number>>>>;
  /** Seconds from check-in to the first call, by source, ascending. */
  waits: Partial<Record<Source, number[]>>;
  /** When the doctor called the first patient, and finished with the last one (null: never). */
  firstCall: Millis | null;
  lastPatient: Millis | null;
  /** End of the last slot that kept any seats (after a shift delay, its shifted end). */
  lastSlotEnd: Millis | null;
  /** How long the last patient was finished after the last slot's end (0 when on time). */
  overtimeMs: number;
  /** In start order. */
  slots: SlotUse[];
  /** Tokens that were bumped by a more urgent one, moved to another slot or the waitlist, or promoted from the waitlist (each counted once). */
  bumped: number;
  moved: number;
  promoted: number;
}

interface Track {
  source: Source;
  status: TokenStatus;
  slotId: string | null;
  checkedInAt: Millis | null;
  waited: boolean;
}

const FINAL: Partial<Record<TokenStatus, Outcome>> = { COMPLETED: 'seen', NO_SHOW: 'noShow', CANCELLED: 'cancelled', EXPIRED: 'expired' };

/** The summary of one doctor-day's events, in log order. */
export function summarizeDay(events: readonly DoctorDayEvent[]): DaySummary {
  const tokens = new Map<string, Track>();
  const slots = new Map<string, { start: Millis; end: Millis; capacity: number }>();
  const waits: Partial<Record<Source, number[]>> = {};
  const bumped = new Set<string>();
  const moved = new Set<string>();
  const promoted = new Set<string>();
  let firstCall: Millis | null = null;
  let lastPatient: Millis | null = null;
  const track = (id: string) => tokens.get(id)!;

  for (const e of events) {
    switch (e.type) {
      case 'SlotCreated':
        slots.set(e.slot.id, { start: e.slot.start, end: e.slot.end, capacity: e.slot.capacity });
        break;
      case 'SlotCapacityChanged':
        slots.get(e.slotId)!.capacity = e.to;
        break;
      case 'DoctorDelayed':
        for (const id of e.shiftedSlotIds) {
          const s = slots.get(id)!;
          s.start += e.minutes * 60_000;
          s.end += e.minutes * 60_000;
        }
        break;
      case 'TokenIssued':
        tokens.set(e.tokenId, { source: e.source, status: 'WAITLISTED', slotId: null, checkedInAt: null, waited: false });
        break;
      case 'TokenAllocated': {
        const t = track(e.tokenId);
        t.status = 'ALLOCATED';
        t.slotId = e.slotId;
        if (e.reason === 'promoted') promoted.add(e.tokenId);
        if (e.reason === 'moved') moved.add(e.tokenId);
        break;
      }
      case 'TokenWaitlisted': {
        const t = track(e.tokenId);
        t.status = 'WAITLISTED';
        t.slotId = null;
        if (e.reason === 'moved') moved.add(e.tokenId);
        break;
      }
      case 'TokenBumped': {
        // The bumped token goes straight to its new slot, or to the waitlist, by this event alone.
        const t = track(e.tokenId);
        t.slotId = e.toSlotId;
        t.status = e.toSlotId === null ? 'WAITLISTED' : 'ALLOCATED';
        bumped.add(e.tokenId);
        break;
      }
      case 'TokenCheckedIn': {
        const t = track(e.tokenId);
        t.status = 'CHECKED_IN';
        t.checkedInAt ??= e.at;
        break;
      }
      case 'TokenCalled': {
        const t = track(e.tokenId);
        t.status = 'CALLED';
        firstCall ??= e.at;
        if (!t.waited && t.checkedInAt !== null) {
          t.waited = true;
          (waits[t.source] ??= []).push(Math.round((e.at - t.checkedInAt) / 1000));
        }
        break;
      }
      case 'TokenSkipped':
        track(e.tokenId).status = 'CHECKED_IN';
        break;
      case 'TokenCompleted':
        track(e.tokenId).status = 'COMPLETED';
        lastPatient = lastPatient === null ? e.at : Math.max(lastPatient, e.at);
        break;
      case 'TokenCancelled':
        track(e.tokenId).status = 'CANCELLED';
        break;
      case 'TokenNoShow':
        track(e.tokenId).status = 'NO_SHOW';
        break;
      case 'TokenExpired':
        track(e.tokenId).status = 'EXPIRED';
        break;
      default:
        break;
    }
  }

  const counts: DaySummary['tokens'] = {};
  const used = new Map<string, number>();
  for (const t of tokens.values()) {
    const outcome = FINAL[t.status] ?? 'open';
    const bySource = (counts[t.source] ??= {});
    bySource[outcome] = (bySource[outcome] ?? 0) + 1;
    if (t.slotId !== null && SEATED.has(t.status)) used.set(t.slotId, (used.get(t.slotId) ?? 0) + 1);
  }
  for (const list of Object.values(waits)) list.sort((a, b) => a - b);
  const slotUses = [...slots.entries()]
    .map(([id, s]) => ({ ...s, used: used.get(id) ?? 0 }))
    .sort((a, b) => a.start - b.start);
  const working = slotUses.filter((s) => s.capacity > 0);
  const lastSlotEnd = (working.length > 0 ? working : slotUses).reduce<Millis | null>((m, s) => (m === null || s.end > m ? s.end : m), null);
  const overtimeMs = lastPatient !== null && lastSlotEnd !== null ? Math.max(0, lastPatient - lastSlotEnd) : 0;
  return {
    tokens: orderedBySource(counts),
    waits: orderedBySource(waits),
    firstCall,
    lastPatient,
    lastSlotEnd,
    overtimeMs,
    slots: slotUses,
    bumped: bumped.size,
    moved: moved.size,
    promoted: promoted.size,
  };
}

/** Keys in rank order, so that the stored JSON of a day never depends on the order tokens were issued. */
function orderedBySource<V>(record: Partial<Record<Source, V>>): Partial<Record<Source, V>> {
  const out: Partial<Record<Source, V>> = {};
  for (const s of SOURCES) if (record[s] !== undefined) out[s] = record[s];
  return out;
}
