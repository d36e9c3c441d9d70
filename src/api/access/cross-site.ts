// The cross-site rule (SPEC 11) and the security headers of every answer.
//
// State-changing requests (POST, PUT, PATCH, DELETE): an `Origin` that is not this server's own is
// refused 403 whatever the credential; a request authenticated by a cookie with no Origin at all must
// say `content-type: application/json` (a form or a bare fetch from another site cannot without a
// CORS preflight, which this server never grants), else 403. The web client sends that content type
// on every non-GET, even without a body. A bearer is exempt from the content-type rule: no browser
// attaches one by itself. The session cookie is SameSite=Strict besides.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { AccessError } from '../../access/access-errors.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Is `origin` this server, as the browser addressed it (the Host header; behind a trusted proxy its
 * X-Forwarded-Host)? The host and port are compared, not the scheme: behind a proxy that ends TLS the
 * server itself speaks http while the page's origin is https, and a page of the same host is no
 * other site. `null` (a sandboxed frame, a redirect across sites) and anything unparsable are foreign.
 */
export function isOwnOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    const page = new URL(origin);
    // The Host header read with the page's scheme, so that a default port (:80, :443) compares equal.
    const own = new URL(`${page.protocol}//${request.host}`);
    return page.host !== '' && page.host === own.host;
  } catch {
    return false;
  }
}

/** The onRequest hook before the credentials: a foreign Origin on a state-changing request. */
export async function checkOrigin(request: FastifyRequest): Promise<void> {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && !isOwnOrigin(request, origin)) {
    throw new AccessError('FORBIDDEN', `a ${request.method} from another origin (${origin.slice(0, 100)}) is refused`);
  }
}

/** The onRequest hook after the credentials: a cookie without Origin must come with a JSON content type. */
export async function checkCookieRequest(request: FastifyRequest): Promise<void> {
  if (!STATE_CHANGING.has(request.method) || request.headers.origin !== undefined) return;
  const kind = request.credential?.kind;
  if (kind !== 'session' && kind !== 'display') return;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AccessError('FORBIDDEN', 'a request signed in by cookie must send `content-type: application/json` (or come from this site with an Origin header)');
  }
}

/**
 * The headers (helmet): a Content-Security-Policy the desk and /docs (swagger-ui) work under, that no
 * page may frame; nosniff; no Referer (the /display/ and /t/ URLs are secrets).
 * No upgrade-insecure-requests: a hospital LAN may serve plain http, and it would break every file.
 */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'connect-src': ["'self'"],
      'font-src': ["'self'", 'data:'],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      // swagger-ui sets inline styles; no script can be injected through them.
      'style-src': ["'self'", "'unsafe-inline'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Over plain http a browser ignores it; behind https it keeps the desk on https.
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  crossOriginEmbedderPolicy: false,
};

/**
 * The headers helmet writes with these options, worked out once. (@fastify/helmet calls
 * `helmet(options)` on every request, which parses and checks the policy again each time: about a
 * tenth of the HTTP layer's own time per booking.) The same headers, in the same order, on every
 * answer; helmet's only other act, removing X-Powered-By, has nothing to remove here.
 */
export function helmetHeaders(): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => {},
  };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/**
 * The security headers as one object, made once. Set as the reply's own headers (not the raw
 * response's), so that Fastify hands every header of an answer to Node in one writeHead call; a
 * header set on the raw response first makes Node take each of them through setHeader again.
 */
export function securityHeaderObject(): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries(helmetHeaders().map(([name, value]) => [name.toLowerCase(), value])));
}
