// Who is asking, as the rest of the service sees it. An Actor is what a session cookie, an API key or
// a display link resolves to (access-service.ts, machine-credentials.ts); the API puts it into a RequestContext
// and the service names it in the events a person caused (SPEC 8).

import type { DoctorScope, Role } from './roles.ts';

/** The service's time source; injected so expiry is tested with a manual clock. */
export interface Clock {
  now(): Date;
}

/** Last-seen (a session) and last-used (an API key) are written at most this often, so a busy desk does not write per request. */
export const TOUCH_EVERY_MS = 60_000;

export type ActorKind = 'account' | 'apiKey' | 'display' | 'system';

export interface Actor {
  kind: ActorKind;
  /** The account's, API key's or display link's id; `system` for the process itself. */
  id: string;
  /** What a history shows: an account's display name, a key's or link's name. */
  name: string;
  /** `system` is the server itself (clock ticks, start-up): never the result of a credential. */
  role: Role | 'system';
  /** The doctors a `doctor` or `display` identity is bound to; `all` for the others. */
  doctorIds: DoctorScope;
}

/** The process itself: clock ticks and start-up work. No credential ever resolves to it. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ kind: 'system', id: 'system', name: 'system', role: 'system', doctorIds: 'all' });

/** What travels with one request from the API into the service. */
export interface RequestContext {
  actor: Actor;
  /** The request's Idempotency-Key and a fingerprint of the request, when it had a key (SPEC 10). */
  idempotency?: { key: string; requestHash: string };
  /** Fastify's request id, so a log line and an event can be matched. */
  requestId: string;
}
