// The waiting-room board's view of a doctor-day: token numbers, statuses and times, never a patient's
// name, id or phone (the board hangs in a public room, so its data must not carry them at all).
//
//   serving  the tokens called and not yet completed (normally one);
//   next     who comes after: first the checked-in tokens in the order "call next" takes them
//            (earlier slots first, then serving order), then the seated tokens not yet checked in,
//            of slots that have not ended (they are expected; they must check in at the desk);
//   waitlist the waiting tokens in promotion order.

import { servingOrderOf } from '../shared/serving-order.ts';
import type { Delay, Schedule, Token } from './types.ts';

export { servingOrderOf };

export interface BoardToken {
  id: string;
  number: string;
  status: Token['status'];
  slotId: string | null;
  estimatedAt: string | null;
}

export interface BoardSlot {
  id: string;
  start: string;
  end: string;
}

export interface DoctorBoard {
  doctor: { id: string; name: string; department: string; code: string; room: string | null };
  date: string;
  /** The doctor's delay in force, or null: the board says the doctor is late, by how much, until when. */
  delay: Delay | null;
  /** The slot under way at `now`, else the next one to start; null when the day is over. */
  currentSlot: BoardSlot | null;
  serving: BoardToken[];
  next: BoardToken[];
  /** How many more are in `next` beyond those listed. */
  moreNext: number;
  waitlist: BoardToken[];
  moreWaitlist: number;
}

function boardToken(t: Token): BoardToken {
  return { id: t.id, number: t.number, status: t.status, slotId: t.slotId, estimatedAt: t.estimatedAt };
}

/** The board of one doctor-day at `now`, listing at most `limit` tokens in `next` and in `waitlist`. */
export function doctorBoard(schedule: Schedule, now: Date, limit: number): DoctorBoard {
  const { currentSlot: current, serving, checkedIn, expected } = servingOrderOf(schedule, now);
  const next = [...checkedIn, ...expected];
  const { id, name, department, code, room } = schedule.doctor;
  return {
    doctor: { id, name, department, code, room },
    date: schedule.date,
    delay: schedule.delay,
    currentSlot: current && { id: current.id, start: current.start, end: current.end },
    serving: serving.map(boardToken),
    next: next.slice(0, limit).map(boardToken),
    moreNext: Math.max(0, next.length - limit),
    waitlist: schedule.waitlist.slice(0, limit).map(boardToken),
    moreWaitlist: Math.max(0, schedule.waitlist.length - limit),
  };
}
