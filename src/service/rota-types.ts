// What the rota part of the desk answers (src/service/desk-rota.ts).

import type { RotaSession } from '../store/rota-repo.ts';
import type { Doctor, RequestContext, Slot, Token } from './types.ts';

export type { RotaSession } from '../store/rota-repo.ts';

export interface Rota {
  doctorId: string;
  sessions: RotaSession[];
  /** How many days ahead the service makes slots from it (OPD_ROTA_DAYS). */
  daysAhead: number;
  /** When it was last replaced (ISO), or null: never set. */
  updatedAt: string | null;
}

/** A doctor-day the rota was not applied to because tokens were issued there: the admin decides. */
export interface RotaAsk {
  date: string;
  /** Tokens still waiting, seated or checked in on that day. */
  liveTokens: number;
}

export interface RotaChange {
  rota: Rota;
  /** Days whose slots were made again from the new rota. */
  changed: string[];
  /** Days with tokens, left as they were: apply to them explicitly (POST …/rota/apply), or not. */
  asks: RotaAsk[];
}

export interface RotaApplied {
  /** Days the rota was applied to. */
  applied: string[];
  /** Slots with tokens, left as they were (nobody is moved): close one (capacity 0) to move its patients. */
  kept: Slot[];
}

export interface ClosedDateView {
  date: string;
  /** null: a holiday, every doctor. */
  doctorId: string | null;
  reason: string;
  createdAt: string;
}

export interface DateClosed {
  closed: ClosedDateView;
  /** Slots closed (capacity 0) on that date. */
  slotsClosed: number;
  /** The patients' tokens still live on that date: the desk calls them (transfer, or another day). */
  toCall: Token[];
}

export interface DateReopened {
  date: string;
  doctorId: string | null;
  /** Doctor-days whose slots were made or opened again. */
  reopened: { doctorId: string; date: string; slots: number }[];
}

export interface UpdateDoctorInput {
  name?: string;
  /** null clears it. */
  room?: string | null;
}

export interface RotaDesk {
  getRota(doctorId: string): Promise<Rota>;
  setRota(doctorId: string, sessions: RotaSession[], ctx: RequestContext): Promise<RotaChange>;
  applyRota(doctorId: string, dates: string[], ctx: RequestContext): Promise<RotaApplied>;
  listClosedDates(from?: string, to?: string): Promise<ClosedDateView[]>;
  closeDate(input: { date: string; doctorId?: string; reason: string }, ctx: RequestContext): Promise<DateClosed>;
  reopenDate(input: { date: string; doctorId?: string }, ctx: RequestContext): Promise<DateReopened>;
  updateDoctor(id: string, input: UpdateDoctorInput, ctx: RequestContext): Promise<Doctor>;
  /** Makes the slots of the days ahead from every rota, each doctor-day once; returns how many days it made. */
  makeRotaDays(): Promise<number>;
}
