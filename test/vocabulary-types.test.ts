// The browser's shared vocabulary against the server's own types: `npm run typecheck` fails if the
// feed's events as the desk reads them (src/shared/feed-events.ts) stop fitting the engine's events
// as the server sends them (ISO times; TokenIssued with the number, never the patient). Plain
// assignability, checked by the compiler; at run time each line only passes a placeholder along.

import { expect, it } from 'vitest';
import type { DoctorDayEvent, Source, Tie } from '../src/engine/index.ts';
import type { WireEvent } from '../src/shared/feed-events.ts';
import { EVENT_TYPES } from '../src/shared/vocabulary.ts';

/** An engine event as the feed carries it (src/service/views.ts `feedEvent`). */
type OnTheWire<E> = E extends { type: 'TokenIssued'; request: Tie; source: Source; tokenId: string }
  ? { type: 'TokenIssued'; tokenId: string; number: string; source: Source; request: Tie }
  : Omit<E, 'at'>;
type Sent = OnTheWire<DoctorDayEvent> & { seq: number; doctorId: string; date: string; at: string };

const fits = <To>(value: To): To => value;
const some = <T>(): T => ({}) as T;

it('the desk reads the feed events as the server sends them', () => {
  expect(fits<WireEvent>(some<Sent>())).toEqual({});
});

it('the desk listens to every event type the engine makes, and to no other', () => {
  const listed = fits<readonly DoctorDayEvent['type'][]>(EVENT_TYPES);
  expect(new Set(listed).size).toBe(18);
});
