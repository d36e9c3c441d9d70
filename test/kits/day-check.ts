// What the end-to-end tests add to the service's own check (src/service/day-check.ts, which they use
// for the log and the rows): the day as the API shows it must be the day the log rebuilds.

import { schedule, type DoctorDay } from '../../src/engine/index.ts';

/** API times are ISO 8601 to the second; engine times are epoch ms. */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (s: string | null) => (s === null ? null : Date.parse(s));

/**
 * The API's schedule put in the engine's terms (epoch ms), and the replayed day's schedule cut to the
 * API's precision (seconds): the two must be equal.
 */
// The API answer is read as JSON, untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function scheduleFromApi(api: any): unknown {
  // The patient comes from the personal data, not the log: compared apart (SPEC 12); publicUrl (the
  // patient's page) is the API's own addition to a token: the log has no such field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const token = ({ patient: _patient, patientErased: _erased, publicUrl: _publicUrl, ...t }: any) => ({ ...t, issuedAt: iso(t.issuedAt), estimatedAt: iso(t.estimatedAt) });
  return {
    // `room` is left out: a slot without one shows the doctor's room, which the day's log does not hold.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-explicit-any
    slots: api.slots.map(({ room, ...s }: any) => ({ ...s, start: iso(s.start), end: iso(s.end), tokens: s.tokens.map(token) })),
    waitlist: api.waitlist.map(token),
  };
}

export function scheduleFromLog(day: DoctorDay): unknown {
  const s = schedule(day);
  // The log knows a patient only by its key, which the API never shows.
  const token = ({ patientKey: _key, ...t }: (typeof s.waitlist)[number]) => ({
    ...t,
    issuedAt: toSecond(t.issuedAt),
    estimatedAt: t.estimatedAt === null ? null : toSecond(t.estimatedAt),
  });
  return {
    slots: s.slots.map((slot) => ({ ...slot, start: toSecond(slot.start), end: toSecond(slot.end), tokens: slot.tokens.map(token) })),
    waitlist: s.waitlist.map(token),
  };
}
