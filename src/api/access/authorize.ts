// Authorization of every route by the one table (src/access/roles.ts ROUTES, SPEC 11). When the app
// is built, each route is given its rule, and a route without one stops the build: nothing is served
// by accident. Per request:
// - onRequest (before the body is read or validated): no actor → 401; a role that may not perform the
//   route's action on any doctor → 403; for `doctor: 'path'` the doctor of `:id` must be one of its own.
// - preHandler (after validation): `body` → the body's doctorId; `resource` → the slot's or token's
//   doctor, read through the desk's public getSlot/getToken (only for identities bound to some doctors).
// - `filter` routes (the board, the live feed) keep only `doctorsFor(actor, action)` themselves.

import type { FastifyRequest, RouteOptions } from 'fastify';
import { AccessError } from '../../access/access-errors.ts';
import { ACTION_WORDS, doctorsFor, may, ROLE_TABLE, ROUTES, type Action, type DoctorScope, type RouteRule } from '../../access/roles.ts';
import type { Actor } from '../../access/types.ts';
import type { TokenDesk } from '../../service/types.ts';
import { problems } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's rule from ROUTES, set when the route is added. */
    access?: RouteRule;
  }
}

const ruleIndex = new Map(ROUTES.map((r) => [`${r.method} ${r.path}`, r]));

/** The rule of a route as Fastify names it (HEAD answers as GET does). */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  return ruleIndex.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}

/** The onRoute hook: attaches each route's rule, documents its security, refuses a route without one. */
export function attachRule(route: RouteOptions): void {
  const methods = [route.method].flat();
  const rules = methods.map((m) => ruleFor(m, route.url));
  const missing = methods.filter((_m, i) => rules[i] === undefined);
  if (missing.length > 0) {
    throw new Error(`${missing.join(',')} ${route.url}: no access rule; add it to ROUTES in src/access/roles.ts (an action, or 'public')`);
  }
  const rule = rules[0] as RouteRule;
  route.config = { ...(route.config as object), access: rule };
  if (rule.needs === 'public') {
    // OpenAPI: no credentials asked for.
    if (route.schema) route.schema = { ...route.schema, security: [] };
  } else if (route.schema && !route.schema.hide) {
    const response = (route.schema.response ?? {}) as Record<string, unknown>;
    route.schema = { ...route.schema, response: { ...response, ...problems(401, 403) } };
  }
}

const ROLE_WORDS: Record<Actor['role'], string> = { admin: 'An admin', desk: 'A front-desk', doctor: 'A doctor', display: 'A display-screen', system: 'The system' };

/** A refusal in a person's words, naming the action for those who script against the API. */
function refuse(actor: Actor, action: Action): never {
  // Refused with a grant on its own doctors only: this was another doctor's.
  const whose = actor.role !== 'system' && ROLE_TABLE[actor.role][action] === 'own' ? " (it is another doctor's)" : '';
  throw new AccessError('FORBIDDEN', `${ROLE_WORDS[actor.role]} account cannot ${ACTION_WORDS[action]}${whose}. Ask an administrator if you need to. [${action}]`);
}

/** The onRequest hook, after the credentials were resolved. */
export async function checkRoute(request: FastifyRequest): Promise<void> {
  const rule = request.routeOptions.config.access;
  // No route matched: the 404 handler answers, and tells nothing.
  if (rule === undefined || rule.needs === 'public') return;
  const actor = request.actor;
  if (actor === null) throw new AccessError('UNAUTHENTICATED', 'sign in, or send an API key as `Authorization: Bearer <key>`');
  const scope = doctorsFor(actor, rule.needs);
  if (scope !== 'all' && scope.length === 0) refuse(actor, rule.needs);
  if (rule.doctor === 'path') {
    const id = (request.params as { id?: string }).id;
    if (!may(actor, rule.needs, id)) refuse(actor, rule.needs);
  }
}

/** The preHandler hook for rules whose doctor is in the validated body or in the resource. */
export function checkDoctor(desk: TokenDesk) {
  return async function doctorCheck(request: FastifyRequest): Promise<void> {
    const rule = request.routeOptions.config.access;
    if (rule === undefined || rule.needs === 'public' || request.actor === null) return;
    const { actor } = request;
    const action = rule.needs;
    // An identity for all doctors never needs to know whose the resource is.
    if (doctorsFor(actor, action) === 'all') return;
    if (rule.doctor === 'body') {
      const doctorId = (request.body as { doctorId?: string } | undefined)?.doctorId;
      if (!may(actor, action, doctorId)) refuse(actor, action);
    } else if (rule.doctor === 'resource') {
      const id = (request.params as { id: string }).id;
      // Unknown ids are the handler's 404 (a 404 tells no more than a 403 would).
      const doctorId = rule.path.startsWith('/api/slots/') ? (await desk.getSlot(id)).doctorId : (await desk.getToken(id)).doctorId;
      if (!may(actor, action, doctorId)) refuse(actor, action);
    }
  };
}

/** The doctors a `filter` route may show the request's actor. */
export function scopeOf(request: FastifyRequest, action: Action): DoctorScope {
  return request.actor === null ? [] : doctorsFor(request.actor, action);
}

/** Keeps the ids in scope, in their order. */
export function withinScope(ids: readonly string[], scope: DoctorScope): string[] {
  return scope === 'all' ? [...ids] : ids.filter((id) => scope.includes(id));
}
