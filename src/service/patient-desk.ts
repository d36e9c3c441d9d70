// The patient's side of the desk (SPEC 11): the public page of one token, opened by the code on its
// slip (public-codes.ts), and the slip itself, which the desk prints. The page shows that one token,
// its doctor, and the numbers of its doctor's queue — never another patient's name, phone or id, and
// nothing personal at all once the visit is over (the day has passed, or the personal data was erased).
// Also the hospital's slip layout, a setting an admin chooses.

import type { TokenStatus } from '../engine/index.ts';
import type { SettingsRepository } from '../store/settings-repo.ts';
import { localDate } from '../time/local-time.ts';
import { servingOrderOf } from './board.ts';
import { PublicCodes } from './public-codes.ts';
import { ServiceError, type Delay, type HistoryEvent, type RequestContext, type Schedule, type Token, type TokenDesk } from './types.ts';

export const SLIP_LAYOUTS = ['roll-80mm', 'a6', 'a5'] as const;
export type SlipLayout = (typeof SLIP_LAYOUTS)[number];
export const DEFAULT_SLIP_LAYOUT: SlipLayout = 'roll-80mm';
const SLIP_LAYOUT_KEY = 'slip.layout';

export interface TimeWindow {
  start: string;
  end: string;
}

/** Why a token moved, in the words the page turns into a sentence. */
export type MoveCause = 'emergency' | 'priority' | 'doctor-late' | 'slot-closed' | 'fewer-seats';

/** Something that happened to the token, newest last: the page says it in the patient's language. */
export type Happening =
  | { kind: 'moved'; at: string; to: TimeWindow | null; because: MoveCause }
  | { kind: 'seated'; at: string; to: TimeWindow }
  | { kind: 'skipped'; at: string };

export interface PatientView {
  /** `over`: the day has passed or the personal data was erased; only `number` and `date` remain. */
  state: 'live' | 'over';
  number: string;
  date: string;
  doctor: { name: string; department: string; room: string | null } | null;
  status: TokenStatus | null;
  slot: TimeWindow | null;
  estimatedAt: string | null;
  /** The numbers the doctor is seeing now. */
  nowServing: string[];
  /** Seated tokens before this one in the order the doctor calls them (null when not seated and waiting). */
  ahead: number | null;
  /** Place on the waitlist, from 1 (null when not waitlisted). */
  waitlistPosition: number | null;
  delay: Delay | null;
  happenings: Happening[];
}

export interface Slip {
  tokenId: string;
  number: string;
  date: string;
  status: TokenStatus;
  doctor: { name: string; department: string; room: string | null };
  slot: TimeWindow | null;
  estimatedAt: string | null;
  /** Place in the doctor's queue (1: next) when seated, on the waitlist when waitlisted. */
  position: number | null;
  waitlisted: boolean;
  issuedAt: string;
  /** The patient's page, as a path: the slip makes it absolute with the page's origin. */
  publicUrl: string;
  layout: SlipLayout;
}

/**
 * Has the token's personal data been erased (SPEC 12)? An erased token answers `patient: null` with
 * `patientErased: true` (a staff view; the page reads the token as the desk does).
 */
export function personalDataErased(token: Pick<Token, 'patient' | 'patientErased'>): boolean {
  return token.patientErased === true || token.patient === null;
}

const isSlipLayout = (v: unknown): v is SlipLayout => typeof v === 'string' && (SLIP_LAYOUTS as readonly string[]).includes(v);

export class PatientDesk {
  constructor(
    private readonly desk: TokenDesk,
    private readonly codes: PublicCodes,
    private readonly settings: SettingsRepository,
  ) {}

  /** Reads (or makes, the first time) the database's public code secret. */
  static async open(desk: TokenDesk, settings: SettingsRepository): Promise<PatientDesk> {
    return new PatientDesk(desk, await PublicCodes.open(settings, desk.now().getTime()), settings);
  }

  /** The path of a token's page: `/t/<code>`. */
  publicUrl(tokenId: string): string {
    return `/t/${this.codes.codeOf(tokenId)}`;
  }

  /** Whether a code was made by this server's secret (no database read): the page's HTML needs no more. */
  knowsCode(code: string): boolean {
    return this.codes.tokenIdOf(code) !== null;
  }

  /** The page of the token a code names; NOT_FOUND for any code this server did not make. */
  async view(code: string): Promise<PatientView> {
    const tokenId = this.codes.tokenIdOf(code);
    if (tokenId === null) throw new ServiceError('NOT_FOUND', 'There is no token with this code.');
    const token = await this.desk.getToken(tokenId);
    const history = await this.desk.tokenHistory(tokenId);
    const date = history[0]!.date;
    const now = this.desk.now();
    if (personalDataErased(token) || date < localDate(now.getTime(), this.desk.timeZone)) {
      return { state: 'over', number: token.number, date, doctor: null, status: null, slot: null, estimatedAt: null, nowServing: [], ahead: null, waitlistPosition: null, delay: null, happenings: [] };
    }
    const schedule = await this.desk.schedule(token.doctorId, date);
    const { room, name, department } = schedule.doctor;
    const { serving, ahead, waitlistPosition } = queuePlace(schedule, token, now);
    return {
      state: 'live',
      number: token.number,
      date,
      doctor: { name, department, room },
      status: token.status,
      slot: windowOf(schedule, token.slotId),
      estimatedAt: token.estimatedAt,
      nowServing: serving,
      ahead,
      waitlistPosition,
      delay: schedule.delay,
      happenings: happenings(history, schedule),
    };
  }

  /** Which doctor-day a code's page follows (for its live stream), or NOT_FOUND. */
  async dayOf(code: string): Promise<{ doctorId: string; date: string }> {
    const tokenId = this.codes.tokenIdOf(code);
    if (tokenId === null) throw new ServiceError('NOT_FOUND', 'There is no token with this code.');
    const token = await this.desk.getToken(tokenId);
    const [first] = await this.desk.tokenHistory(tokenId);
    return { doctorId: token.doctorId, date: first!.date };
  }

  /** What the desk prints for a token. */
  async slip(tokenId: string): Promise<Slip> {
    const token = await this.desk.getToken(tokenId);
    const [first] = await this.desk.tokenHistory(tokenId);
    const date = first!.date;
    const schedule = await this.desk.schedule(token.doctorId, date);
    const { name, department, room } = schedule.doctor;
    const { ahead, waitlistPosition } = queuePlace(schedule, token, this.desk.now());
    return {
      tokenId,
      number: token.number,
      date,
      status: token.status,
      doctor: { name, department, room },
      slot: windowOf(schedule, token.slotId),
      estimatedAt: token.estimatedAt,
      position: ahead !== null ? ahead + 1 : waitlistPosition,
      waitlisted: token.status === 'WAITLISTED',
      issuedAt: token.issuedAt,
      publicUrl: this.publicUrl(tokenId),
      layout: await this.slipLayout(),
    };
  }

  async slipLayout(): Promise<SlipLayout> {
    const stored = await this.settings.getSetting(SLIP_LAYOUT_KEY);
    return isSlipLayout(stored) ? stored : DEFAULT_SLIP_LAYOUT;
  }

  async setSlipLayout(layout: SlipLayout, ctx: RequestContext): Promise<SlipLayout> {
    void ctx; // an admin's choice; settings keep no history
    await this.settings.putSetting(SLIP_LAYOUT_KEY, layout, this.desk.now().getTime());
    return layout;
  }
}

function windowOf(schedule: Schedule, slotId: string | null): TimeWindow | null {
  const slot = slotId === null ? undefined : schedule.slots.find((s) => s.id === slotId);
  return slot ? { start: slot.start, end: slot.end } : null;
}

/** The numbers being served, and where the token stands: seated tokens before it, or its waitlist place. */
function queuePlace(schedule: Schedule, token: Token, now: Date): { serving: string[]; ahead: number | null; waitlistPosition: number | null } {
  const order = servingOrderOf(schedule, now);
  const serving = order.serving.map((t) => t.number);
  const queue = [...order.checkedIn, ...order.expected];
  const at = queue.findIndex((t) => t.id === token.id);
  const w = schedule.waitlist.findIndex((t) => t.id === token.id);
  return { serving, ahead: at >= 0 ? at : null, waitlistPosition: w >= 0 ? w + 1 : null };
}

/** The token's history in the patient's terms: moves (and why), a seat found, a skipped call. */
function happenings(history: HistoryEvent[], schedule: Schedule): Happening[] {
  const sourceOf = new Map<string, string>();
  for (const t of [...schedule.slots.flatMap((s) => s.tokens), ...schedule.waitlist]) sourceOf.set(t.id, t.source);
  const out: Happening[] = [];
  for (const e of history) {
    const at = e.at;
    if (e.type === 'TokenBumped') {
      const by = typeof e.byTokenId === 'string' ? sourceOf.get(e.byTokenId) : undefined;
      out.push({ kind: 'moved', at, to: windowOf(schedule, (e.toSlotId as string | null) ?? null), because: by === 'EMERGENCY' ? 'emergency' : 'priority' });
    } else if ((e.type === 'TokenAllocated' || e.type === 'TokenWaitlisted') && e.reason === 'moved') {
      const to = e.type === 'TokenAllocated' ? windowOf(schedule, e.slotId as string) : null;
      out.push({ kind: 'moved', at, to, because: moveCause(e.cause) });
    } else if (e.type === 'TokenAllocated' && e.reason === 'promoted') {
      const to = windowOf(schedule, e.slotId as string);
      if (to) out.push({ kind: 'seated', at, to });
    } else if (e.type === 'TokenSkipped') {
      out.push({ kind: 'skipped', at });
    }
  }
  return out;
}

function moveCause(cause: unknown): MoveCause {
  if (cause === 'doctor-delayed') return 'doctor-late';
  if (cause === 'slot-closed') return 'slot-closed';
  return 'fewer-seats';
}
