// Who is asking, per request: the actor the access layer resolved (a session cookie, an API key or a
// display link), and the request context the routes hand to the service (SPEC 8: events a person
// caused name their actor). Routes never pass positional extras: `contextOf(request)` is the one way.

import type { FastifyRequest } from 'fastify';
import type { Actor, RequestContext } from '../access/types.ts';
import { idempotencyOf } from './idempotency.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access layer's onRequest hook before any handler runs; null on public routes without credentials. */
    actor: Actor | null;
  }
}

/** The request's context for the service. A route that reaches the service always has an actor. */
export function contextOf(request: FastifyRequest): RequestContext {
  const actor = request.actor;
  if (actor === null) throw new Error(`${request.method} ${request.url}: no actor (the access layer did not run)`);
  const idempotency = idempotencyOf(request);
  return { actor, requestId: request.id, ...(idempotency ? { idempotency } : {}) };
}
