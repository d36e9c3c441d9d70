// "What if": a real doctor-day replayed from the service's event log under another policy. What people
// did is taken from the log — when each token was asked for, from which source, for which slot, who
// came (check-ins) and when, who cancelled, when the doctor called and finished, delays and capacity
// changes — and the engine decides everything else again: seats, bumps, waitlist, promotions, the
// order of calls, no-shows and expiry. Under the policy the day really had, the replay writes the
// logged events again, one for one (from-log.test.ts holds it to that).
//
// Pure: the log and the policy come in, events go out; nothing is written anywhere.

import { apply, execute, openDoctorDay, type Command, type DoctorDayEvent, type Millis, type Policy, type TokenStatus } from '../engine/index.ts';

const MINUTE = 60_000;

export interface ReplayOptions {
  /** The policy to decide with; absent: the policy the log records, change by change (a faithful replay). */
  policy?: Policy;
  /** The policy before the log records one (the hospital's default; only used when the log has none). */
  fallbackPolicy: Policy;
  /**
   * After the log's last event, tick once more when every slot has ended and its grace passed, so the
   * replayed day is closed like the real one (default true).
   */
  settle?: boolean;
}

export interface ReplayResult {
  events: DoctorDayEvent[];
  /** What people did that the replayed day could not take (a cancel of a token already seen …), in words. */
  skipped: string[];
}

/** Events that record what a person (or the doctor) did: each becomes a command of the replay. */
const ACTS = new Set<DoctorDayEvent['type']>(['SlotCreated', 'DoctorDelayed', 'TokenIssued', 'TokenCalled', 'TokenCompleted', 'TokenSkipped', 'TokenCancelled']);
/** Events only the clock's tick writes. */
const TICKED = new Set<DoctorDayEvent['type']>(['TokenExpired', 'TokenAged']);

const CAN_CANCEL: ReadonlySet<TokenStatus> = new Set(['WAITLISTED', 'ALLOCATED', 'CHECKED_IN']);
const CAN_NO_SHOW: ReadonlySet<TokenStatus> = new Set(['ALLOCATED', 'CHECKED_IN', 'CALLED']);

/** Replays one doctor-day's log (in order) and returns the events the engine writes this time. */
export function replayDay(init: { doctorId: string; date: string; code: string }, log: readonly DoctorDayEvent[], opts: ReplayOptions): ReplayResult {
  const real = openDoctorDay(init); // the day as it really went, to read what each act was about
  const day = openDoctorDay(init); // the day as the engine decides it again
  const out: DoctorDayEvent[] = [];
  const skipped: string[] = [];
  let policy: Policy = opts.policy ?? firstPolicy(log) ?? opts.fallbackPolicy;
  let lastRun: Millis = -Infinity;
  let tickedAt: Millis | null = null;
  /** The token the replayed doctor called when the real doctor called each real token. */
  const calledAs = new Map<string, string>();
  /** Patients who came while their replayed token had no seat: checked in as soon as it has one. */
  const waitingAtDesk = new Set<string>();

  const run = (command: Command, now: Millis): boolean => {
    const outcome = execute(day, command, { now, policy });
    out.push(...outcome.events);
    lastRun = Math.max(lastRun, now);
    if (command.type !== 'tick') tickedAt = null;
    return outcome.ok;
  };
  const status = (id: string | undefined) => (id === undefined ? undefined : day.tokens.get(id)?.status);
  const label = (id: string) => real.tokens.get(id)?.label ?? id;
  const checkInWaiting = (now: Millis) => {
    for (const id of [...waitingAtDesk].sort()) {
      const s = status(id);
      if (s === 'ALLOCATED') run({ type: 'checkIn', tokenId: id }, now);
      if (s !== 'WAITLISTED') waitingAtDesk.delete(id);
    }
  };

  for (const e of log) {
    // Another policy makes other things due (a waiting token expires when its slot ends): the clock
    // ticks every minute, as the service's does. A faithful replay ticks only where the log shows it did.
    if (opts.policy !== undefined) {
      for (let m = Math.floor(lastRun / MINUTE + 1) * MINUTE; Number.isFinite(lastRun) && m < e.at; m += MINUTE) run({ type: 'tick' }, m);
    }
    const arrivedBefore = e.type === 'TokenCheckedIn' ? (real.tokens.get(e.tokenId)?.arrived ?? false) : false;
    const calledBefore = 'tokenId' in e ? real.tokens.get(e.tokenId)?.status === 'CALLED' : false;
    apply(real, e);
    if (e.type === 'PolicyChanged') {
      if (opts.policy === undefined) policy = e.policy;
      else continue; // the replay keeps its own policy
    }
    const command = commandOf(e, arrivedBefore, calledBefore, calledAs, status);
    if (command === 'none') {
      const dueFromClock = TICKED.has(e.type) || (e.type === 'TokenNoShow' && e.reason === 'grace-expired');
      if ((dueFromClock && tickedAt !== e.at) || e.at > lastRun) {
        run({ type: 'tick' }, e.at);
        tickedAt = e.at;
      }
      continue;
    }
    if (waitingAtDesk.size > 0) checkInWaiting(e.at);
    if (command === 'skip') {
      skipped.push(`${label(tokenOf(e))}: ${words(e)} — not possible in the replayed day`);
      continue;
    }
    const ok = run(command, e.at);
    if (e.type === 'TokenCalled' && ok) calledAs.set(e.tokenId, lastCalled(out));
    if (command.type === 'checkIn' && !ok && status(command.tokenId) === 'WAITLISTED') waitingAtDesk.add(command.tokenId);
    if (!ok && command.type !== 'callNext' && command.type !== 'checkIn') skipped.push(`${label(tokenOf(e))}: ${words(e)} — not possible in the replayed day`);
  }
  if (opts.settle !== false && day.slots.length > 0) {
    const closes = Math.max(...day.slots.map((s) => s.end)) + (policy.noShowGraceMinutes + 1) * MINUTE;
    if (closes > lastRun) run({ type: 'tick' }, closes);
  }
  return { events: out, skipped };
}

function firstPolicy(log: readonly DoctorDayEvent[]): Policy | undefined {
  for (const e of log) if (e.type === 'PolicyChanged') return e.policy;
  return undefined;
}

function tokenOf(e: DoctorDayEvent): string {
  return 'tokenId' in e ? e.tokenId : '';
}

function lastCalled(events: readonly DoctorDayEvent[]): string {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'TokenCalled') return e.tokenId;
  }
  return '';
}

const WORDS: Partial<Record<DoctorDayEvent['type'], string>> = {
  TokenCompleted: 'the doctor finished with this patient',
  TokenSkipped: 'the doctor skipped this patient',
  TokenCancelled: 'cancelled',
  TokenNoShow: 'marked as not come',
  TokenCheckedIn: 'checked in',
};
const words = (e: DoctorDayEvent) => WORDS[e.type] ?? e.type;

/**
 * The command a logged event stands for: `none` when the engine wrote it on its own (an allocation, a
 * bump, a tick's work), `skip` when the act cannot apply to the replayed day.
 */
function commandOf(
  e: DoctorDayEvent,
  arrivedBefore: boolean,
  calledBefore: boolean,
  calledAs: ReadonlyMap<string, string>,
  status: (id: string | undefined) => TokenStatus | undefined,
): Command | 'none' | 'skip' {
  if (!ACTS.has(e.type) && e.type !== 'SlotCapacityChanged' && e.type !== 'TokenCheckedIn' && e.type !== 'TokenNoShow') return 'none';
  switch (e.type) {
    case 'SlotCreated':
      return { type: 'createSlot', slot: { ...e.slot } };
    case 'SlotCapacityChanged':
      return e.reason === 'set' ? { type: 'changeCapacity', slotId: e.slotId, capacity: e.to } : 'none';
    case 'DoctorDelayed':
      return { type: 'delayDoctor', minutes: e.minutes };
    case 'TokenIssued': {
      // Everything the token was asked with, whatever the event calls the patient.
      const { type: _type, at: _at, number: _number, label: _label, request, arrived, ...asked } = e;
      return { ...asked, type: 'issueToken', slotId: request.slotId, flexible: request.flexible, ...(arrived ? { arrived: true } : {}) };
    }
    case 'TokenCheckedIn':
      // A token of a patient already at the desk is checked in by the engine when it takes a seat.
      return arrivedBefore ? 'none' : { type: 'checkIn', tokenId: e.tokenId };
    case 'TokenCalled':
      return { type: 'callNext' };
    case 'TokenCompleted':
    case 'TokenSkipped': {
      const replayed = calledAs.get(e.tokenId);
      return status(replayed) === 'CALLED' ? { type: e.type === 'TokenCompleted' ? 'complete' : 'skip', tokenId: replayed! } : 'skip';
    }
    case 'TokenCancelled':
      return CAN_CANCEL.has(status(e.tokenId)!) ? { type: 'cancel', tokenId: e.tokenId } : 'skip';
    case 'TokenNoShow': {
      if (e.reason === 'max-skips') {
        // A skip beyond maxSkips writes only the no-show: it stands for the doctor's skip.
        const replayed = calledAs.get(e.tokenId);
        return status(replayed) === 'CALLED' ? { type: 'skip', tokenId: replayed! } : 'skip';
      }
      if (e.reason !== 'staff') return 'none';
      const target = calledBefore ? calledAs.get(e.tokenId) : e.tokenId;
      return CAN_NO_SHOW.has(status(target)!) ? { type: 'noShow', tokenId: target! } : 'skip';
    }
    default:
      return 'none';
  }
}
