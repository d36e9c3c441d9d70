// Turns the engine's events into sentences a front desk reads: who moved where, and why. It runs
// right after each command, so the doctor-day it reads is exactly the state the events produced.

import { SOURCE_PEOPLE, SOURCE_WORDS } from './words.ts';
import { SOURCES, type DoctorDay, type Millis, type Token } from '../engine/index.ts';
import { formatRange, formatTime } from '../time/local-time.ts';
import type { DayPlan, DoctorSpec } from './plan.ts';
import type { CommandRecord, Observer } from './runner.ts';
import { describeCommand } from './runner.ts';

export type EntryKind =
  | 'slot'
  | 'policy'
  | 'book'
  | 'waitlist'
  | 'bump'
  | 'overflow'
  | 'promote'
  | 'move'
  | 'cancel'
  | 'no-show'
  | 'check-in'
  | 'call'
  | 'complete'
  | 'skip'
  | 'expire'
  | 'age'
  | 'capacity'
  | 'delay'
  | 'reserve'
  | 'refused';

export interface TimelineEntry {
  at: Millis;
  /** HH:MM, hospital-local. */
  time: string;
  /** Doctor code. */
  doctor: string;
  kind: EntryKind;
  text: string;
}

const CAUSE_TEXT: Record<string, string> = {
  'capacity-raised': 'the slot got more seats',
  'capacity-reduced': 'the slot lost seats',
  'slot-closed': 'the slot was closed',
  'slot-added': 'a new slot opened',
  'reserve-released': 'reserved seats were released',
  'policy-changed': 'the policy changed',
  'doctor-delayed': 'the doctor is running late',
};

/** Collects the timeline of a run (only the kinds asked for). */
export class Narrator implements Observer {
  readonly entries: TimelineEntry[] = [];

  constructor(
    private readonly plan: DayPlan,
    private readonly keep: (kind: EntryKind) => boolean = () => true,
  ) {}

  onCommand(record: CommandRecord, day: DoctorDay): void {
    const doctor = this.plan.doctors[record.doctor]!.doctor;
    for (const entry of narrate(record, day, doctor, this.plan.timeZone)) if (this.keep(entry.kind)) this.entries.push(entry);
  }
}

/** The sentences for one command and its outcome. */
export function narrate(record: CommandRecord, day: DoctorDay, doctor: DoctorSpec, timeZone: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const say = (at: Millis, kind: EntryKind, text: string) => out.push({ at, time: formatTime(at, timeZone), doctor: doctor.code, kind, text });
  const token = (id: string): Token => day.tokens.get(id)!;
  const who = (id: string) => `${token(id).label} (${SOURCE_WORDS[token(id).source].toLowerCase()})`;
  const slotName = (id: string | null | undefined) => {
    const s = id ? day.slotById.get(id) : undefined;
    return s ? formatRange(s.start, s.end, timeZone) : 'no slot';
  };
  const seats = (id: string) => {
    const s = day.slotById.get(id)!;
    return `${s.occupied}/${s.capacity}`;
  };
  const open = (id: string | null, at: Millis) => {
    const s = id ? day.slotById.get(id) : undefined;
    return s !== undefined && s.end > at;
  };

  const events = record.outcome.events;
  // A token leaving a slot frees a seat only if the slot was not over capacity (an emergency may hold
  // the overflow seat): then either someone is promoted into it now or it stands empty.
  const freed = (i: number, tokenId: string, slotId: string) => {
    const refilled = events.slice(i + 1).some((x) => x.type === 'TokenAllocated' && x.reason === 'promoted' && x.causeTokenId === tokenId);
    const s = day.slotById.get(slotId)!;
    return refilled || s.occupied < s.capacity ? `, freeing a seat in ${slotName(slotId)}` : `; ${slotName(slotId)} stays full (${seats(slotId)})`;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (e.type) {
      case 'TokenIssued': {
        const next = events[i + 1];
        const after = events[i + 2];
        const asked = e.request.slotId ? ` asked for ${slotName(e.request.slotId)}${e.request.flexible ? ' or later' : ''} and` : '';
        if (next?.type === 'TokenAllocated' && next.tokenId === e.tokenId) {
          i++;
          if (next.reason === 'overflow') {
            say(e.at, 'overflow', `${who(e.tokenId)} took the emergency overflow seat in ${slotName(next.slotId)} (${seats(next.slotId)})`);
          } else {
            const how = e.request.slotId === null ? 'got the earliest free seat:' : next.slotId === e.request.slotId ? 'booked' : `${asked.trim()} got`;
            say(e.at, 'book', `${who(e.tokenId)} ${how} ${slotName(next.slotId)} (${seats(next.slotId)} seats taken)`);
          }
        } else if (next?.type === 'TokenBumped' && after?.type === 'TokenAllocated' && after.tokenId === e.tokenId) {
          i += 2;
          const where = next.toSlotId === null ? `was waitlisted for ${slotName(next.fromSlotId)} or any later slot` : `moved to ${slotName(next.toSlotId)}`;
          say(e.at, 'bump', `${who(e.tokenId)} took a seat in ${slotName(after.slotId)} by bumping ${who(next.tokenId)}, who ${where}`);
        } else if (next?.type === 'TokenWaitlisted' && next.tokenId === e.tokenId) {
          i++;
          const full = e.request.slotId ? ` (${seats(e.request.slotId)} taken)` : '';
          const forWhat = e.request.slotId ? `for ${slotName(e.request.slotId)}${e.request.flexible ? ' or later' : ' only'}` : 'for the first free seat today';
          say(e.at, 'waitlist', `${who(e.tokenId)} waitlisted ${forWhat}: no free seat${full}`);
        } else {
          say(e.at, 'book', `${who(e.tokenId)} issued`);
        }
        break;
      }
      case 'TokenAllocated':
        if (e.reason === 'promoted') {
          const why =
            e.cause === 'cancelled' && e.causeTokenId
              ? `seat freed when ${token(e.causeTokenId).label} cancelled`
              : e.cause === 'no-show' && e.causeTokenId
                ? `seat freed by ${token(e.causeTokenId).label}'s no-show`
                : (CAUSE_TEXT[e.cause ?? ''] ?? 'a seat opened');
          say(e.at, 'promote', `${who(e.tokenId)} promoted from the waitlist into ${slotName(e.slotId)} (${why})`);
        } else if (e.reason === 'moved') {
          say(e.at, 'move', `${who(e.tokenId)} moved from ${slotName(e.fromSlotId)} to ${slotName(e.slotId)}: ${CAUSE_TEXT[e.cause ?? ''] ?? 'its slot shrank'}`);
        } else {
          say(e.at, e.reason === 'overflow' ? 'overflow' : 'book', `${who(e.tokenId)} seated in ${slotName(e.slotId)} (${e.reason})`);
        }
        break;
      case 'TokenWaitlisted':
        say(e.at, 'move', `${who(e.tokenId)} lost its seat in ${slotName(e.fromSlotId)} (${CAUSE_TEXT[e.cause ?? ''] ?? 'its slot shrank'}) and waits for that slot or a later one`);
        break;
      case 'TokenBumped':
        say(e.at, 'bump', `${who(e.tokenId)} bumped from ${slotName(e.fromSlotId)} by ${token(e.byTokenId).label}, ${e.toSlotId ? `to ${slotName(e.toSlotId)}` : 'to the waitlist'}`);
        break;
      case 'TokenCheckedIn':
        say(e.at, 'check-in', `${who(e.tokenId)} checked in for ${slotName(token(e.tokenId).slotId)}`);
        break;
      case 'TokenCalled':
        say(e.at, 'call', `${doctor.name} called ${who(e.tokenId)} of ${slotName(token(e.tokenId).slotId)}`);
        break;
      case 'TokenCompleted': {
        const calledAt = token(e.tokenId).calledAt;
        say(e.at, 'complete', `${who(e.tokenId)} seen${calledAt === null ? '' : ` (${Math.round((e.at - calledAt) / 60_000)} min with the doctor)`}`);
        break;
      }
      case 'TokenSkipped':
        say(e.at, 'skip', `${who(e.tokenId)} did not come in when called: skipped (${e.skips} of ${day.policy?.maxSkips ?? '?'} allowed)`);
        break;
      case 'TokenNoShow': {
        const t = token(e.tokenId);
        if (e.reason === 'grace-expired') {
          say(e.at, 'no-show', `${who(e.tokenId)} marked no-show by the clock: not checked in by ${formatTime(e.at, timeZone)}, ${day.policy?.noShowGraceMinutes ?? '?'} min after ${slotName(t.slotId)} ended`);
        } else {
          const by = e.reason === 'staff' ? 'marked no-show by staff' : `marked no-show after ${t.skips + 1} calls without answer`;
          const seat = open(t.slotId, e.at) ? freed(i, e.tokenId, t.slotId!) : '';
          say(e.at, 'no-show', `${who(e.tokenId)} ${by}${seat}`);
        }
        break;
      }
      case 'TokenCancelled': {
        const t = token(e.tokenId);
        const seat = t.slotId === null ? ' while waitlisted' : open(t.slotId, e.at) ? freed(i, e.tokenId, t.slotId) : '';
        say(e.at, 'cancel', `${who(e.tokenId)} cancelled${seat}`);
        break;
      }
      case 'TokenExpired': {
        const t = token(e.tokenId);
        const why = t.tie.slotId && !t.tie.flexible ? `it waited for ${slotName(t.tie.slotId)} only, and that slot has ended` : 'no slot is left today';
        say(e.at, 'expire', `${who(e.tokenId)} expired: ${why}`);
        break;
      }
      case 'TokenAged': {
        const t = token(e.tokenId);
        const waited = t.waitingSince === null ? '' : ` ${Math.round((e.at - t.waitingSince) / 60_000)} min`;
        say(e.at, 'age', `${who(e.tokenId)} has waited${waited}: it now ranks with ${SOURCE_PEOPLE[SOURCES[e.effectiveRank]!]}`);
        break;
      }
      case 'SlotCreated':
        say(e.at, 'slot', `opened ${formatRange(e.slot.start, e.slot.end, timeZone)} with ${e.slot.capacity} seats`);
        break;
      case 'SlotCapacityChanged':
        say(e.at, 'capacity', `${slotName(e.slotId)} ${e.reason === 'doctor-delayed' ? 'loses seats to the delay' : 'capacity changed'}: ${e.from} → ${e.to}`);
        break;
      case 'DoctorDelayed':
        say(
          e.at,
          'delay',
          e.window
            ? `${doctor.name} is running ${e.minutes} min late: ${formatRange(e.window.from, e.window.to, timeZone)} is lost`
            : `${doctor.name} is running ${e.minutes} min late: the rest of the day moves ${e.minutes} min later`,
        );
        break;
      case 'SlotReserveReleased':
        say(e.at, 'reserve', `reserved seats of ${slotName(e.slotId)} are open to every source now`);
        break;
      case 'PolicyChanged':
        say(e.at, 'policy', `policy in force: preemption ${e.policy.preemption}, aging ${e.policy.agingMinutes === null ? 'off' : `every ${e.policy.agingMinutes} min`}`);
        break;
    }
  }
  const outcome = record.outcome;
  if (!outcome.ok) {
    const text =
      outcome.code === 'QUEUE_EMPTY'
        ? `${doctor.name} is free, but nobody is checked in`
        : `refused ${describeCommand(record.command)}: ${outcome.code} (${outcome.message})`;
    say(record.at, 'refused', text);
  }
  return out;
}

/** Kinds the reports leave out of a timeline: bookkeeping rather than news (refusals show with --verbose). */
export const QUIET_KINDS: ReadonlySet<EntryKind> = new Set(['slot', 'policy', 'refused']);
