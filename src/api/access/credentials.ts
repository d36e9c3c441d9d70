// Who is asking (SPEC 11): one onRequest hook turns the request's credential into `request.actor`.
// In this order: `Authorization: Bearer <secret>` (an API key; a bearer that does not resolve is a
// 401, never a fall-back to cookies), the `opd_session` cookie (a staff session), the `opd_display`
// cookie (a waiting-room board's link). No credential, or a cookie that no longer resolves: null, and
// the authorization hook answers 401 on every route that is not public. Public routes other than
// GET /api/session are not looked at: they need no identity.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessError } from '../../access/access-errors.ts';
import type { AccessService } from '../../access/access-service.ts';
import type { Actor } from '../../access/types.ts';

export const SESSION_COOKIE = 'opd_session';
export const DISPLAY_COOKIE = 'opd_display';

/** How the actor was found: the cross-site rule treats cookies and bearers differently. */
export type CredentialKind = 'bearer' | 'session' | 'display';

declare module 'fastify' {
  interface FastifyRequest {
    /** The credential `actor` came from, or null when there was none. */
    credential: { kind: CredentialKind; secret: string } | null;
  }
  interface FastifyInstance {
    /** Resolved sessions and keys of this server: clear it after revoking, disabling or changing a password. */
    credentialCache: CredentialCache;
  }
}

/**
 * Resolved sessions and API keys, kept for a few seconds so a busy desk does not read the access
 * tables on every request. The price: a session ended or a key revoked on ANOTHER server (or an
 * account disabled anywhere) still works here for at most `ttlMs`; signing out on this server forgets
 * the session at once. Display links are never cached: revoking one works at once (SPEC 11).
 */
export class CredentialCache {
  private readonly entries = new Map<string, { actor: Actor | null; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now: number): Actor | null | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.actor;
  }

  set(key: string, actor: Actor | null, now: number): void {
    if (this.ttlMs <= 0) return;
    // Oldest first (a Map keeps insertion order): a flood of unknown secrets cannot grow it without bound.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { actor, until: now + this.ttlMs });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The onRequest hook that sets `request.actor` and `request.credential`. */
export function resolveCredentials(access: AccessService, cache: CredentialCache) {
  // A cached answer is only as old as the wall clock says; the service's (maybe manual) clock
  // decides idle expiry inside the AccessService.
  const cached = async (key: string, resolve: () => Promise<Actor | null>): Promise<Actor | null> => {
    const now = Date.now();
    const hit = cache.get(key, now);
    if (hit !== undefined) return hit;
    const actor = await resolve();
    // Only live identities are kept: a refusal is looked up again (it may be a new key a moment later).
    if (actor !== null) cache.set(key, actor, now);
    return actor;
  };

  return async function credentials(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    // Public routes (health checks, pages, signing in) and unknown paths need no identity, and must
    // not depend on the database (a liveness probe with a stray bearer). Who-am-I is the exception.
    const rule = request.routeOptions.config.access;
    if (rule === undefined || (rule.needs === 'public' && rule.path !== '/api/session')) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const secret = BEARER.exec(authorization)?.[1];
      const actor = secret === undefined ? null : await cached(`k:${secret}`, () => access.resolveApiKey(secret));
      if (actor === null) throw new AccessError('UNAUTHENTICATED', 'the API key is not valid (unknown, revoked or malformed); send `Authorization: Bearer <key>`');
      request.actor = actor;
      request.credential = { kind: 'bearer', secret: secret as string };
      return;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) {
      const actor = await cached(`s:${session}`, () => access.resolveSession(session));
      if (actor !== null) {
        request.actor = actor;
        request.credential = { kind: 'session', secret: session };
        return;
      }
    }
    const display = request.cookies[DISPLAY_COOKIE];
    if (display) {
      const actor = await access.resolveDisplayLink(display);
      if (actor !== null) {
        request.actor = actor;
        request.credential = { kind: 'display', secret: display };
      }
    }
  };
}

/** Asks the database again who the request's credential names (no cache): for the live feed. */
export function recheckCredential(access: AccessService) {
  return async (request: FastifyRequest): Promise<Actor | null> => {
    const credential = request.credential;
    if (credential === null) return null;
    if (credential.kind === 'bearer') return access.resolveApiKey(credential.secret);
    if (credential.kind === 'session') return access.resolveSession(credential.secret);
    return access.resolveDisplayLink(credential.secret);
  };
}
