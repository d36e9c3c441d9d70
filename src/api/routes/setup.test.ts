// The first-run set-up over HTTP (GET/POST /api/setup) and a board's display link (GET
// /display/:secret): success, each refusal, and that a refused request changed nothing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessHarness, cookieOf, type AccessHarness } from '../../../test/kits/api/access/test-kit.ts';
import { call } from '../../../test/kits/api/test-kit.ts';

describe('first-run set-up over HTTP', () => {
  let h: AccessHarness;
  beforeEach(async () => {
    h = await accessHarness({ idleMinutes: 240 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('is open on an empty database; a code creates the first admin, signs it in with a session cookie, and closes it', async () => {
    expect((await call(h.sut, 'GET', '/api/setup')).body).toEqual({ open: true });
    const { code } = (await h.access.firstRunSetup())!;
    const res = await call(h.sut, 'POST', '/api/setup', { code, username: 'asha', displayName: 'Asha (IT)', password: 'first-admin-pass' }, { 'user-agent': 'Firefox/140' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ kind: 'account', id: expect.any(String), name: 'Asha (IT)', role: 'admin', doctorIds: 'all', username: 'asha', idleMinutes: 240 });
    const cookie = cookieOf(res.headers, 'opd_session')!;
    expect(cookie.attributes.sort()).toEqual(['httponly', 'path=/', 'samesite=strict']);
    // The cookie is a live session of the new admin, recorded with the browser it came from.
    expect(await h.access.resolveSession(cookie.value)).toMatchObject({ id: res.body.id, role: 'admin' });
    expect((await h.access.listSessions(res.body.id))[0]).toMatchObject({ userAgent: 'Firefox/140', address: '127.0.0.1' });
    expect((await call(h.sut, 'GET', '/api/setup')).body).toEqual({ open: false });
    // The same code again: used.
    const again = await call(h.sut, 'POST', '/api/setup', { code, username: 'mallory', password: 'second-admin-pass' });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('UNAUTHENTICATED');
    expect((await h.access.listAccounts()).map((a) => a.username)).toEqual(['asha']);
  });

  it('the display name defaults to the username', async () => {
    const { code } = (await h.access.firstRunSetup())!;
    const res = await call(h.sut, 'POST', '/api/setup', { code, username: 'it-admin', password: 'first-admin-pass' });
    expect(res.body).toMatchObject({ name: 'it-admin', username: 'it-admin' });
  });

  it('refuses a bad body (400), a wrong code (401) and any code once an admin exists (409), creating nothing', async () => {
    const { code } = (await h.access.firstRunSetup())!;
    for (const body of [{ code, username: 'asha' }, { code, username: 'asha', password: 'short' }, { code, username: 'a b', password: 'first-admin-pass' }, { code, username: 'asha', password: 'first-admin-pass', role: 'desk' }]) {
      const res = await call(h.sut, 'POST', '/api/setup', body);
      expect({ status: res.status, code: res.body.code }, JSON.stringify(body)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const wrong = await call(h.sut, 'POST', '/api/setup', { code: 'A'.repeat(43), username: 'asha', password: 'first-admin-pass' });
    expect({ status: wrong.status, code: wrong.body.code, detail: wrong.body.detail }).toEqual({ status: 401, code: 'UNAUTHENTICATED', detail: 'the set-up code is wrong, used or expired' });
    expect(cookieOf(wrong.headers, 'opd_session')).toBeNull();
    expect(await h.access.listAccounts()).toEqual([]);

    await h.access.createAccount({ username: 'root', displayName: 'Root', role: 'admin', doctorIds: 'all', password: 'admin-password-1' });
    const closed = await call(h.sut, 'POST', '/api/setup', { code, username: 'asha', password: 'first-admin-pass' });
    expect({ status: closed.status, code: closed.body.code }).toEqual({ status: 409, code: 'SETUP_CLOSED' });
    expect((await h.access.listAccounts()).map((a) => a.username)).toEqual(['root']);
    expect((await call(h.sut, 'GET', '/api/setup')).body).toEqual({ open: false });
  });

  it('refuses a taken username (409 USERNAME_TAKEN) and the code still works after', async () => {
    const { code } = (await h.access.firstRunSetup())!;
    await h.access.createAccount({ username: 'asha', displayName: 'Asha', role: 'desk', doctorIds: 'all', password: 'front-desk-2026' });
    const taken = await call(h.sut, 'POST', '/api/setup', { code, username: 'ASHA', password: 'first-admin-pass' });
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'USERNAME_TAKEN' });
    expect((await call(h.sut, 'POST', '/api/setup', { code, username: 'asha.it', password: 'first-admin-pass' })).status).toBe(201);
  });

  it('limits wrong codes per address: the 31st within 15 minutes is 429 with Retry-After, and the right code is refused too', async () => {
    const { code } = (await h.access.firstRunSetup())!;
    for (let i = 0; i < 30; i++) {
      const res = await call(h.sut, 'POST', '/api/setup', { code: `${'B'.repeat(42)}${i % 10}`, username: `guess${i}`, password: 'first-admin-pass' });
      expect(res.status).toBe(401);
    }
    const limited = await call(h.sut, 'POST', '/api/setup', { code, username: 'asha', password: 'first-admin-pass' });
    expect({ status: limited.status, code: limited.body.code }).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(limited.body.retryAfterSeconds).toBe(wait);
    expect(await h.access.listAccounts()).toEqual([]);
  });
});

describe('behind a proxy (OPD_TRUST_PROXY)', () => {
  it('trusted: the session cookie is Secure when the proxy says HTTPS, and the address is the client behind it', async () => {
    const h = await accessHarness({ trustProxy: true });
    try {
      const { code } = (await h.access.firstRunSetup())!;
      const res = await call(h.sut, 'POST', '/api/setup', { code, username: 'asha', password: 'first-admin-pass' }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.20.30.40' });
      expect(res.status).toBe(201);
      expect(cookieOf(res.headers, 'opd_session')!.attributes).toContain('secure');
      expect((await h.access.listSessions(res.body.id))[0]!.address).toBe('10.20.30.40');
    } finally {
      await h.close();
    }
  });

  it('not trusted (the default): the forwarded headers are ignored', async () => {
    const h = await accessHarness();
    try {
      const { code } = (await h.access.firstRunSetup())!;
      const res = await call(h.sut, 'POST', '/api/setup', { code, username: 'asha', password: 'first-admin-pass' }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.20.30.40' });
      expect(cookieOf(res.headers, 'opd_session')!.attributes).not.toContain('secure');
      expect((await h.access.listSessions(res.body.id))[0]!.address).toBe('127.0.0.1');
    } finally {
      await h.close();
    }
  });
});

describe('a display link opened on a screen: GET /display/:secret', () => {
  let h: AccessHarness;
  beforeEach(async () => {
    h = await accessHarness({ trustProxy: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('sets the display cookie (HttpOnly, Lax, 400 days) and sends the screen on to the board of its doctors', async () => {
    const { secret } = await h.access.createDisplayLink({ name: 'Lobby', doctorIds: ['doc-mehta', 'doc rao'] });
    const res = await h.sut.inject({ method: 'GET', url: `/display/${secret}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/board?doctors=doc-mehta,doc%20rao');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = cookieOf(res.headers, 'opd_display')!;
    expect(cookie.value).toBe(secret);
    expect(cookie.attributes.sort()).toEqual(['httponly', 'max-age=34560000', 'path=/', 'samesite=lax']);
  });

  it('is Secure over HTTPS (a proxy says so with X-Forwarded-Proto when trusted); a link for all doctors opens the whole board', async () => {
    const { secret } = await h.access.createDisplayLink({ name: 'Main hall', doctorIds: 'all' });
    const res = await h.sut.inject({ method: 'GET', url: `/display/${secret}`, headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.location).toBe('/board');
    expect(cookieOf(res.headers, 'opd_display')!.attributes).toContain('secure');
  });

  it('11: keeps the board settings of the link (languages, seconds per page) on the way to the board', async () => {
    const { secret } = await h.access.createDisplayLink({ name: 'Lobby', doctorIds: ['doc-mehta'] });
    const res = await h.sut.inject({ method: 'GET', url: `/display/${secret}?lang=en,hi&turn=20` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/board?doctors=doc-mehta&lang=en,hi&turn=20');
    const all = await h.access.createDisplayLink({ name: 'Main hall', doctorIds: 'all' });
    const hindi = await h.sut.inject({ method: 'GET', url: `/display/${all.secret}?lang=hi` });
    expect(hindi.headers.location).toBe('/board?lang=hi');
  });

  it('11: a board setting it does not know: 400, a page that says which values work, no cookie', async () => {
    const { secret } = await h.access.createDisplayLink({ name: 'Lobby', doctorIds: ['doc-mehta'] });
    for (const [query, shown] of [
      ['lang=fr', 'lang=fr'],
      ['lang=en,en', 'lang=en,en'],
      ['lang=en&lang=hi', 'lang=en,hi'],
      ['turn=4', 'turn=4'],
      ['turn=121', 'turn=121'],
      ['lang=hi&turn=soon', 'turn=soon'],
      ['lang=%3Cb%3E', 'lang=&#60;b&#62;'],
    ]) {
      const res = await h.sut.inject({ method: 'GET', url: `/display/${secret}?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('This board link has a setting the board does not know');
      expect(res.body).toContain(`<p>${shown}</p>`);
      expect(res.body).toContain('lang=en,hi');
      expect(res.body).not.toMatch(/<script|<b>/i);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('an unknown or revoked link: 401, a small page without script that says the link no longer works, no cookie', async () => {
    const { link, secret } = await h.access.createDisplayLink({ name: 'Lobby', doctorIds: ['doc-mehta'] });
    await h.access.revokeDisplayLink(link.id);
    for (const url of [`/display/${secret}`, '/display/not-a-link', `/display/${'C'.repeat(43)}`]) {
      const res = await h.sut.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('This board link no longer works');
      expect(res.body).toMatch(/Ask an administrator for a new link/);
      expect(res.body).not.toMatch(/<script|<link|src=/i);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('is not part of the API contract', async () => {
    const doc = (await h.sut.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/display'))).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/accounts', '/api/accounts/{id}', '/api/accounts/{id}/password', '/api/api-keys', '/api/api-keys/{id}', '/api/display-links', '/api/display-links/{id}', '/api/setup']));
  });
});
