// Signing in and out (SPEC 11): the session cookie's flags, who-am-I, idle expiry on the manual
// clock, sign-out, and credentials that do not resolve.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, callAnonymous, harness, type Harness } from '../../../test/kits/api/test-kit.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const anita = { username: 'anita', displayName: 'Anita (front desk)', role: 'desk' as const, doctorIds: 'all' as const, password: 'front-desk-2026' };

/** The cookie a Set-Cookie header sets, with its attributes. */
function cookieOf(headers: Record<string, unknown>, name: string): { value: string; attributes: string[] } | undefined {
  const all = [headers['set-cookie'] ?? []].flat() as string[];
  const line = all.find((c) => c.startsWith(`${name}=`));
  if (!line) return undefined;
  const [pair = '', ...attributes] = line.split(/;\s*/);
  return { value: pair.slice(name.length + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

async function signIn(headers: Record<string, string> = {}) {
  return callAnonymous(h.sut, 'POST', '/api/session', { username: anita.username, password: anita.password }, headers);
}

describe('POST /api/session', () => {
  it('signs in: 200 Me and an HttpOnly, SameSite=Strict session cookie for the whole site; GET answers who it is', async () => {
    h = await harness();
    const account = await h.access.createAccount(anita);
    const res = await signIn();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'account', id: account.id, name: 'Anita (front desk)', role: 'desk', doctorIds: 'all', username: 'anita', idleMinutes: 480 });
    const cookie = cookieOf(res.headers, 'opd_session');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    // Plain http, no proxy: not Secure (the browser would drop it).
    expect(cookie?.attributes).not.toContain('secure');

    const me = await callAnonymous(h.sut, 'GET', '/api/session', undefined, { cookie: `opd_session=${cookie?.value}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'account', username: 'anita', role: 'desk', idleMinutes: 480 });
    // The session works on the desk's routes, and only those.
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, { cookie: `opd_session=${cookie?.value}` })).status).toBe(200);
    expect((await call(h.sut, 'PUT', '/api/clock', { now: '2026-03-10T09:00:00+05:30' }, { cookie: `opd_session=${cookie?.value}` })).status).toBe(403);
  });

  it('a wrong password and an unknown name are the same 401, and set no cookie', async () => {
    h = await harness();
    await h.access.createAccount(anita);
    const wrong = await callAnonymous(h.sut, 'POST', '/api/session', { username: 'anita', password: 'not-her-password' });
    const unknown = await callAnonymous(h.sut, 'POST', '/api/session', { username: 'nobody', password: 'not-her-password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'wrong username or password' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await callAnonymous(h.sut, 'POST', '/api/session', { username: 'anita' })).status).toBe(400);
  });

  it('Secure behind a trusted proxy that says https; not when the proxy is not trusted', async () => {
    h = await harness({ trustProxy: true });
    await h.access.createAccount(anita);
    const behind = await signIn({ 'x-forwarded-proto': 'https' });
    expect(cookieOf(behind.headers, 'opd_session')?.attributes).toContain('secure');
    await h.close();
    h = await harness();
    await h.access.createAccount(anita);
    const direct = await signIn({ 'x-forwarded-proto': 'https' });
    expect(cookieOf(direct.headers, 'opd_session')?.attributes).not.toContain('secure');
  });
});

describe('the end of a session', () => {
  it('DELETE /api/session ends it at once and clears the cookie', async () => {
    h = await harness({ credentialCacheMs: 60_000 });
    await h.access.createAccount(anita);
    const secret = cookieOf((await signIn()).headers, 'opd_session')!.value;
    const cookie = { cookie: `opd_session=${secret}` };
    // Cached by the first use…
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, cookie)).status).toBe(200);
    const out = await call(h.sut, 'DELETE', '/api/session', undefined, { ...cookie, 'content-type': 'application/json' });
    expect(out.status).toBe(204);
    const cleared = cookieOf(out.headers, 'opd_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.some((a) => a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
    // …and forgotten by the sign-out on this server.
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, cookie)).status).toBe(401);
    expect((await call(h.sut, 'GET', '/api/session', undefined, cookie)).status).toBe(401);
  });

  it('ends after OPD_SESSION_IDLE_MINUTES without a request (manual clock), not before', async () => {
    h = await harness({ idleMinutes: 30 });
    await h.access.createAccount(anita);
    const cookie = { cookie: `opd_session=${cookieOf((await signIn()).headers, 'opd_session')!.value}` };
    await h.desk.setClock(new Date('2026-03-10T08:29:00+05:30'));
    expect((await call(h.sut, 'GET', '/api/session', undefined, cookie)).status).toBe(200);
    // That request was seen at 08:29: 30 minutes later it has ended, one minute earlier it had not.
    await h.desk.setClock(new Date('2026-03-10T08:58:00+05:30'));
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, cookie)).status).toBe(200);
    await h.desk.setClock(new Date('2026-03-10T09:28:00+05:30'));
    const ended = await call(h.sut, 'GET', '/api/doctors', undefined, cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('UNAUTHENTICATED');
    expect(ended.headers['www-authenticate']).toBe('Bearer');
  });

  it('a bearer that does not resolve is 401 even with a good cookie beside it; a dead cookie is just no credential', async () => {
    h = await harness();
    await h.access.createAccount(anita);
    const cookie = `opd_session=${cookieOf((await signIn()).headers, 'opd_session')!.value}`;
    for (const authorization of ['Bearer nope', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'A'.repeat(43)}`]) {
      const res = await call(h.sut, 'GET', '/api/doctors', undefined, { authorization, cookie });
      expect(res.status, authorization).toBe(401);
    }
    const { key, secret } = await h.access.createApiKey({ name: 'kiosk', role: 'desk', doctorIds: 'all' });
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, { authorization: `Bearer ${secret}` })).status).toBe(200);
    await h.access.revokeApiKey(key.id);
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, { authorization: `Bearer ${secret}` })).status).toBe(401);
    // The health check needs nothing; a signed-out caller on /api/session is told so.
    expect((await callAnonymous(h.sut, 'GET', '/healthz', undefined, { cookie: 'opd_session=stale' })).status).toBe(200);
    expect((await callAnonymous(h.sut, 'GET', '/api/session', undefined, { cookie: 'opd_session=stale' })).status).toBe(401);
  });
});

describe('the credential cache', () => {
  it('reuses a resolved key for credentialCacheMs: a key revoked elsewhere works here until then', async () => {
    h = await harness({ credentialCacheMs: 300 });
    const { key, secret } = await h.access.createApiKey({ name: 'kiosk', role: 'desk', doctorIds: 'all' });
    const auth = { authorization: `Bearer ${secret}` };
    // The cache reads the wall clock: it is moved by hand here (only Date; timers run as usual), so
    // a slow machine cannot let the 300 ms lapse between two requests that must both be inside it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const t0 = Date.now();
      expect((await call(h.sut, 'GET', '/api/doctors', undefined, auth)).status).toBe(200);
      await h.access.revokeApiKey(key.id);
      vi.setSystemTime(t0 + 250);
      expect((await call(h.sut, 'GET', '/api/doctors', undefined, auth)).status).toBe(200);
      vi.setSystemTime(t0 + 350);
      expect((await call(h.sut, 'GET', '/api/doctors', undefined, auth)).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
