// Who the doctor serves now and next, in the order call next takes them (SPEC 7), from a doctor-day
// as the API answers it: the board (src/service/board.ts) and the doctor's console read the same
// function, so the console's "Call next (GM-005)" is the token the server will call. Pure: `now`
// comes in as an argument.

/** What the order reads of a token: the API's Token has these fields and more. */
export interface QueuedToken {
  status: string;
  source: string;
  skips: number;
  issuedAt: string;
  number: string;
}

export interface ServingOrder<T, S> {
  /** The slot under way at `now`, else the next one to start; null when the day is over. */
  currentSlot: S | null;
  /** Called, not yet completed. */
  serving: T[];
  /**
   * Checked in, in the order of call-next (SPEC 7): the emergencies of slots that have not ended
   * (not skipped, earliest issued first), then earlier slots first, each slot in serving order (a
   * skipped token behind those checked in when it was skipped: the API's order already says so).
   */
  checkedIn: T[];
  /** Seated but not checked in, in slots that have not ended: expected at the desk. */
  expected: T[];
}

export function servingOrderOf<S extends { end: string; tokens: QueuedToken[] }>(schedule: { slots: S[] }, now: Date): ServingOrder<S['tokens'][number], S> {
  type T = S['tokens'][number];
  const at = now.getTime();
  const ended = (end: string) => Date.parse(end) <= at;
  const out: ServingOrder<T, S> = { currentSlot: schedule.slots.find((s) => !ended(s.end)) ?? null, serving: [], checkedIn: [], expected: [] };
  const emergencies: T[] = [];
  for (const slot of schedule.slots) {
    for (const t of slot.tokens) {
      if (t.status === 'CALLED') out.serving.push(t);
      else if (t.status === 'CHECKED_IN') (isFirstCall(t) && !ended(slot.end) ? emergencies : out.checkedIn).push(t);
      else if (t.status === 'ALLOCATED' && !ended(slot.end)) out.expected.push(t);
    }
  }
  emergencies.sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt) || a.number.localeCompare(b.number, 'en', { numeric: true }));
  out.checkedIn.unshift(...emergencies);
  return out;
}

/** A checked-in emergency not yet skipped: call next takes it before anyone else (SPEC 7). */
const isFirstCall = (t: QueuedToken) => t.source === 'EMERGENCY' && t.skips === 0;
