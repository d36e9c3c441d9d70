// The words an administrator reads in the simulator's reports, for the engine's names of sources and
// token outcomes (the JSON keeps the engine's names, for tools).

import type { Source, TokenStatus } from '../engine/index.ts';

export { SOURCE_WORDS } from '../shared/vocabulary.ts';

/** Plural, for "walk-ins wait 7 min less". */
export const SOURCE_PEOPLE: Readonly<Record<Source, string>> = {
  EMERGENCY: 'emergencies',
  PAID: 'paid patients',
  FOLLOWUP: 'follow-up patients',
  ONLINE: 'online bookings',
  WALKIN: 'walk-ins',
};

export const STATUS_WORDS: Readonly<Record<TokenStatus, string>> = {
  WAITLISTED: 'waiting for a seat',
  ALLOCATED: 'has a seat',
  CHECKED_IN: 'checked in',
  CALLED: 'with the doctor',
  COMPLETED: 'seen',
  CANCELLED: 'cancelled',
  NO_SHOW: 'did not come',
  EXPIRED: 'never got a seat',
};

/** `7`, `2.5`, `12`: whole minutes from 10 up, one decimal below. */
export function roundForPeople(x: number): string {
  const v = Math.abs(x) >= 10 ? Math.round(x) : Math.round(x * 10) / 10;
  return String(Object.is(v, -0) ? 0 : v);
}
