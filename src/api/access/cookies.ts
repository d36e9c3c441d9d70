// The two credentials a browser holds (the access contract): `opd_session`, a staff session, and
// `opd_display`, a waiting-room board's link. Both HttpOnly on Path=/, Secure when the request came
// over HTTPS (with OPD_TRUST_PROXY, the proxy's X-Forwarded-Proto counts: Fastify's request.protocol).

import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'opd_session';
export const DISPLAY_COOKIE = 'opd_display';

/** A board keeps its link for 400 days, the longest a browser keeps a cookie (RFC 6265bis). */
export const DISPLAY_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

/**
 * The staff session: SameSite=Strict, so no other site's page can make the browser send it; no
 * Max-Age (it ends with the browser, and on the server after the idle time, whichever is first).
 */
export function sessionCookie(request: FastifyRequest): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' };
}

/**
 * The board's link: SameSite=Lax, so the board still opens when the link is followed from another
 * page (an admin's e-mail); it only reads, and the server checks it against the database each time.
 */
export function displayCookie(request: FastifyRequest): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', maxAge: DISPLAY_COOKIE_MAX_AGE_SECONDS };
}
