// One doctor-day at 100, 1,000 and 10,000 tokens: does a command cost the same in a big day as in a
// small one? Each episode fills a day to N tokens (not timed), then runs a fixed mix of commands at
// that size (timed). The mix is the same round of 20 commands at every size, and the number of rounds
// grows with N (N/50) so that the day stays near N tokens while it is measured.
//
// As in the hospital day, each episode is planned on one copy of the day (choosing which token to
// cancel or check in needs the engine's answers) and replayed on an identical copy, where only the
// execute() calls are timed.

import { DEFAULT_POLICY, execute, openDoctorDay, type Command, type DoctorDay, type Millis, type Outcome, type Source } from '../src/engine/index.ts';
import { DATE, localTime, MINUTE, type Step } from './clock.ts';
import { Rng } from './rng.ts';

export const SIZES = [100, 1_000, 10_000] as const;
export const ROUND_SIZE = 20;
const SLOTS = 8;
/** Seats per slot as a share of N: about 12% of the tokens end up waitlisted, and late slots keep free seats. */
const SEATS_PER_TOKEN = 0.14;
const FILL_FROM = localTime(7, 0);
const FILL_MINUTES = 110;
const MEASURE_FROM = localTime(9, 0);
const MEASURE_MINUTES = 10;

/** What each command of the measured round is for: the per-kind table reads these names. */
export type RoundCommand =
  | 'tick'
  | 'issue: seated'
  | 'issue: waitlisted'
  | 'issue: preempting'
  | 'cancel: seated (promotes)'
  | 'cancel: waitlisted'
  | 'checkIn'
  | 'callNext'
  | 'complete';

/** The measured round: the same 20 commands at every size. */
export const ROUND: readonly RoundCommand[] = [
  'tick',
  'issue: seated',
  'issue: seated',
  'issue: waitlisted',
  'issue: waitlisted',
  'issue: preempting',
  'issue: preempting',
  'issue: preempting',
  'cancel: seated (promotes)',
  'cancel: seated (promotes)',
  'cancel: waitlisted',
  'checkIn',
  'checkIn',
  'checkIn',
  'checkIn',
  'callNext',
  'callNext',
  'callNext',
  'complete',
  'complete',
];

export interface Episode {
  /** The day to measure, filled to N tokens. */
  day: DoctorDay;
  /** The measured commands, with what each is for. */
  steps: Step[];
  kinds: RoundCommand[];
  /** Events the planning copy produced for the measured commands. */
  events: number;
  /** What the measured commands actually did (seated, waitlisted, bumped …), to show the mix is the same. */
  outcomes: Map<string, number>;
  state: { tokens: number; seated: number; waitlisted: number; freeSeats: number };
}

type Send = (now: Millis, command: Command) => Outcome;

function newDay(n: number): { day: DoctorDay; slotIds: string[] } {
  const day = openDoctorDay({ doctorId: `doctor-${n}`, date: DATE, code: 'GM' });
  const capacity = Math.round(n * SEATS_PER_TOKEN);
  const slotIds: string[] = [];
  for (let h = 0; h < SLOTS; h++) {
    const slot = { id: `S${h}`, start: localTime(9 + h), end: localTime(10 + h), capacity };
    slotIds.push(slot.id);
    execute(day, { type: 'createSlot', slot }, { now: FILL_FROM - MINUTE, policy: DEFAULT_POLICY });
  }
  return { day, slotIds };
}

/** The day fills up from 07:00 to 08:50: bookings for chosen slots, flexible ones, untied walk-ins. */
function fill(n: number, rng: Rng, day: DoctorDay, slotIds: string[], send: Send): string[] {
  const ids: string[] = [];
  let minute = -1;
  for (let i = 0; i < n; i++) {
    const now = FILL_FROM + Math.floor((i * FILL_MINUTES * MINUTE) / n);
    const m = Math.floor((now - FILL_FROM) / MINUTE);
    if (m > minute) {
      minute = m;
      send(FILL_FROM + m * MINUTE, { type: 'tick' });
    }
    const source = rng.weighted<Source>([
      ['WALKIN', 35],
      ['ONLINE', 35],
      ['FOLLOWUP', 18],
      ['PAID', 10],
      ['EMERGENCY', 2],
    ]);
    const tie = rng.weighted([
      ['morning', 30],
      ['morning-flexible', 20],
      ['afternoon', 10],
      ['untied', 40],
    ] as const);
    const slotId =
      tie === 'untied' ? null : tie === 'afternoon' ? slotIds[rng.int(4, SLOTS - 1)]! : slotIds[rng.int(0, 3)]!;
    const tokenId = `T${i}`;
    send(now, { type: 'issueToken', tokenId, source, patientKey: `P${i}`, ...(slotId === null ? {} : { slotId, flexible: tie === 'morning-flexible' }) });
    ids.push(tokenId);
  }
  // Patients of the first two slots arrive early and check in.
  let at = localTime(8, 50);
  for (const tokenId of ids) {
    const t = day.tokens.get(tokenId)!;
    if (t.status !== 'ALLOCATED') continue;
    const share = t.slotId === slotIds[0] ? 0.6 : t.slotId === slotIds[1] ? 0.2 : 0;
    if (share === 0 || !rng.chance(share)) continue;
    at += Math.floor((8 * MINUTE) / n);
    send(at, { type: 'checkIn', tokenId });
  }
  send(localTime(8, 59), { type: 'tick' });
  return ids;
}

/**
 * Takes tokens from a shuffled list until one fits (tokens that no longer fit are dropped for good);
 * when the list runs dry, the first token of the day that fits `otherwise`.
 */
function drawer(day: DoctorDay, ids: string[], rng: Rng): (fits: (id: string) => boolean, otherwise: (id: string) => boolean) => string {
  const pool = rng.shuffled(ids);
  return (fits, otherwise) => {
    while (pool.length > 0) {
      const id = pool.pop()!;
      if (fits(id)) return id;
    }
    for (const id of day.tokens.keys()) if (otherwise(id)) return id;
    throw new Error('bench: the day ran out of tokens for the measured mix; fill it more');
  };
}

/** Plans the measured rounds on `day` (the planning copy), sending each command through `send`. */
function measuredRounds(n: number, rng: Rng, day: DoctorDay, slotIds: string[], fillIds: string[], send: Send): RoundCommand[] {
  const kinds: RoundCommand[] = [];
  const drawSeated = drawer(day, fillIds, rng);
  const drawWaiting = drawer(day, fillIds, rng);
  const drawArriving = drawer(day, fillIds, rng);
  const status = (id: string) => day.tokens.get(id)!.status;
  const slotIndex = (id: string) => slotIds.indexOf(day.tokens.get(id)!.slotId ?? '');
  const called: string[] = [];
  const rounds = n / 50;
  let issued = 0;
  for (let r = 0; r < rounds; r++) {
    // Rounds end at 09:10 at every size, so the ticks cover the same stretch of time (08:59–09:10).
    const base = MEASURE_FROM + Math.floor(((r + 1) * MEASURE_MINUTES * MINUTE) / rounds) - ROUND_SIZE;
    ROUND.forEach((kind, j) => {
      const now = base + j;
      const newToken = (source: Source, slotId: string | null): Command => ({
        type: 'issueToken',
        tokenId: `N${issued}`,
        source,
        patientKey: `Q${issued++}`,
        ...(slotId === null ? {} : { slotId }),
      });
      let command: Command;
      switch (kind) {
        case 'tick':
          command = { type: 'tick' };
          break;
        case 'issue: seated': {
          // A walk-in (the earliest free seat, after the full morning) or a booking for a free later slot.
          const free = day.slots.find((s) => s.end > now && s.occupied < s.capacity);
          command = j % 2 === 1 || !free ? newToken('WALKIN', null) : newToken('ONLINE', free.id);
          break;
        }
        case 'issue: waitlisted': // a walk-in who wants a full morning slot and no other
          command = newToken('WALKIN', slotIds[rng.int(1, 2)]!);
          break;
        case 'issue: preempting': {
          const source = rng.weighted<Source>([
            ['PAID', 2],
            ['FOLLOWUP', 2],
            ['EMERGENCY', 1],
          ]);
          command = newToken(source, source === 'EMERGENCY' ? null : slotIds[rng.int(1, 3)]!);
          break;
        }
        case 'cancel: seated (promotes)':
          command = {
            type: 'cancel',
            tokenId: drawSeated((id) => status(id) === 'ALLOCATED' && slotIndex(id) >= 1 && slotIndex(id) <= 3, (id) => status(id) === 'ALLOCATED'),
          };
          break;
        case 'cancel: waitlisted':
          command = { type: 'cancel', tokenId: drawWaiting((id) => status(id) === 'WAITLISTED', (id) => status(id) === 'ALLOCATED') };
          break;
        case 'checkIn':
          command = { type: 'checkIn', tokenId: drawArriving((id) => status(id) === 'ALLOCATED' && slotIndex(id) <= 1, (id) => status(id) === 'ALLOCATED') };
          break;
        case 'callNext':
          command = { type: 'callNext' };
          break;
        case 'complete':
          command = { type: 'complete', tokenId: called.shift() ?? 'none' };
          break;
      }
      const out = send(now, command);
      if (kind === 'callNext' && out.ok && out.tokenId !== undefined) called.push(out.tokenId);
      kinds.push(kind);
    });
  }
  return kinds;
}

function tally(outcomes: Map<string, number>, out: Outcome): void {
  const add = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  if (!out.ok) add(`refused ${out.code}`);
  for (const e of out.events) {
    if (e.type === 'TokenAllocated') add(`allocated (${e.reason})`);
    else if (e.type === 'TokenWaitlisted') add('waitlisted');
    else if (e.type === 'TokenBumped') add(e.toSlotId === null ? 'bumped to the waitlist' : 'bumped to a later slot');
    else if (e.type === 'TokenAged') add('aged');
  }
}

/** Builds one episode of size `n`: two identical filled days, the rounds planned on one. */
export function buildEpisode(n: number, seed: number): Episode {
  const planning = newDay(n);
  const measured = newDay(n);
  const fillSteps: Step[] = [];
  const steps: Step[] = [];
  let events = 0;
  const outcomes = new Map<string, number>();

  const fillRng = new Rng(seed);
  const fillIds = fill(n, fillRng, planning.day, planning.slotIds, (now, command) => {
    fillSteps.push({ day: 0, now, command });
    return execute(planning.day, command, { now, policy: DEFAULT_POLICY });
  });
  for (const s of fillSteps) execute(measured.day, s.command, { now: s.now, policy: DEFAULT_POLICY });

  const day = planning.day;
  let seated = 0;
  let freeSeats = 0;
  for (const s of day.slots) {
    seated += s.occupied;
    freeSeats += Math.max(0, s.capacity - s.occupied);
  }
  const state = { tokens: day.tokens.size, seated, waitlisted: day.waitlisted, freeSeats };

  const kinds = measuredRounds(n, new Rng(seed + 1), day, planning.slotIds, fillIds, (now, command) => {
    steps.push({ day: 0, now, command });
    const out = execute(day, command, { now, policy: DEFAULT_POLICY });
    events += out.events.length;
    tally(outcomes, out);
    return out;
  });
  return { day: measured.day, steps, kinds, events, outcomes, state };
}
