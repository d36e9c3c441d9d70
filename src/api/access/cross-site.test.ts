// The cross-site rule and the headers (SPEC 11), and what a waiting-room board may learn: a display
// identity never sees a name, phone or patient id, and a token id from the board opens nothing.

import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDeskBuilt, WEB_ROOT } from '../web.ts';
import { call, callAnonymous, harness, patient, seedDay, type Client, type Day, type Harness } from '../../../test/kits/api/test-kit.ts';

let h: Harness;
let day: Day;
let cookie: string;

const snapshot = async () => ({ seq: await h.desk.latestSeq(), doctors: (await h.desk.listDoctors()).length, keys: await h.access.listApiKeys() });

beforeAll(async () => {
  h = await harness(webDeskBuilt() ? { webRoot: WEB_ROOT } : {});
  day = await seedDay(h.sut);
  cookie = await h.sessionCookie('admin');
});
afterAll(async () => {
  await h.close();
});

let address: Promise<string> | undefined;
/** The app over a socket (for the live feed), started by the first test that needs it. */
const listening = () => (address ??= h.sut.listen({ host: '127.0.0.1', port: 0 }));

describe('state-changing requests from another site', () => {
  const doctor = { name: 'Dr Cross', department: 'ENT', code: 'XS' };

  it('a foreign Origin is refused 403, with a cookie or a bearer, and changes nothing', async () => {
    const before = await snapshot();
    for (const headers of [{ cookie }, h.adminHeaders, {}]) {
      for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'http://localhost:81', 'null']) {
        const res = await call(h.sut, 'POST', '/api/doctors', doctor, { ...headers, origin, host: 'localhost:80' });
        expect(res.status, origin).toBe(403);
        expect(res.body.code, origin).toBe('FORBIDDEN');
      }
    }
    // Signing in from another site too (no login CSRF).
    expect((await callAnonymous(h.sut, 'POST', '/api/session', { username: 'x', password: 'y' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('the own Origin passes; a GET is not checked', async () => {
    const res = await call(h.sut, 'POST', '/api/doctors', { ...doctor, code: 'OWN' }, { cookie, origin: 'http://localhost:8080', host: 'localhost:8080' });
    expect(res.status).toBe(201);
    // Behind a proxy that ends TLS: the page is https, the server hears http from the same host.
    const proxied = await call(h.sut, 'POST', '/api/doctors', { ...doctor, code: 'TLS' }, { cookie, origin: 'https://opd.hospital.example', host: 'opd.hospital.example' });
    expect(proxied.status).toBe(201);
    expect((await call(h.sut, 'GET', '/api/doctors', undefined, { cookie, origin: 'https://evil.example' })).status).toBe(200);
  });

  it('a cookie request with no Origin must say content-type application/json: a body-less POST without it is refused', async () => {
    const token = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    const before = await snapshot();
    const bare = await h.sut.inject({ method: 'POST', url: `/api/tokens/${token.body.id}/cancel`, headers: { cookie } });
    expect(bare.statusCode).toBe(403);
    const form = await h.sut.inject({ method: 'POST', url: `/api/tokens/${token.body.id}/cancel`, headers: { cookie, 'content-type': 'text/plain' }, payload: '{}' });
    expect(form.statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
    // The web client's way: JSON content type, no body.
    const sent = await h.sut.inject({ method: 'POST', url: `/api/tokens/${token.body.id}/cancel`, headers: { cookie, 'content-type': 'application/json' } });
    expect(sent.statusCode).toBe(200);
    // A bearer is exempt: no browser attaches one by itself.
    const other = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    expect((await h.sut.inject({ method: 'POST', url: `/api/tokens/${other.body.id}/cancel`, headers: h.adminHeaders })).statusCode).toBe(200);
  });
});

describe('headers on every answer', () => {
  it('no page may frame the desk: CSP frame-ancestors none and X-Frame-Options DENY; nosniff; no referrer', async () => {
    for (const url of ['/admin', '/docs', '/api/doctors', '/nowhere']) {
      const res = await h.sut.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toMatch(/frame-ancestors 'none'/);
      expect(csp, url).toMatch(/default-src 'self'/);
      expect(csp, url).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  /** The headers every answer carries, whatever made it. */
  const expectSecurityHeaders = (headers: Record<string, unknown>, what: string) => {
    expect(String(headers['content-security-policy']), what).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['strict-transport-security'], what).toMatch(/^max-age=\d+/);
    expect(headers['x-request-id'], what).toMatch(/^[\w.:-]+$/);
  };

  it('a booking, a refusal and the live feed carry them too, with their request id', async () => {
    const booked = await h.sut.inject({ method: 'POST', url: '/api/tokens', payload: { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() } });
    expect(booked.statusCode).toBe(201);
    expectSecurityHeaders(booked.headers, 'a booking');
    const refused = await h.sut.inject({ method: 'POST', url: '/api/tokens', payload: { doctorId: day.doctor.id } });
    expect(refused.statusCode).toBe(400);
    expectSecurityHeaders(refused.headers, 'a refusal');
    // The live feed writes its own head (the reply is taken over): over a socket, as a browser reads it.
    const base = await listening();
    const feed = await new Promise<IncomingMessage>((resolve, reject) => get(`${base}/api/events`, { headers: h.adminHeaders }, resolve).on('error', reject));
    try {
      expect(feed.statusCode).toBe(200);
      expect(feed.headers['content-type']).toMatch(/^text\/event-stream/);
      expectSecurityHeaders(feed.headers, 'the live feed');
    } finally {
      feed.destroy();
    }
  });
});

describe('a waiting-room board (display) learns numbers, never people', () => {
  let display: Client;
  let none: Client;
  const names = ['Lakshmi Devi', 'Prakash Menon'];
  let tokenIds: string[] = [];

  beforeAll(async () => {
    display = await h.as('display', [day.doctor.id]);
    none = await h.as('none');
    tokenIds = [];
    for (const name of names) {
      const t = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name, id: `MRN-${name.length}`, phone: '+91 98450 55555' } });
      tokenIds.push(t.body.id);
    }
  });

  it('the board, the clock, who-am-I and the feed carry no name, phone or patient id', async () => {
    const seen: string[] = [];
    for (const url of ['/api/board', `/api/board?doctors=${day.doctor.id}`, '/api/clock', '/api/session']) {
      const res = await display.call('GET', url);
      expect(res.status, url).toBe(200);
      seen.push(JSON.stringify(res.body));
    }
    const base = await listening();
    {
      const abort = new AbortController();
      const res = await fetch(`${base}/api/events?after=0`, { headers: display.headers, signal: abort.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      const decoder = new TextDecoder();
      while (!text.includes(tokenIds.at(-1)!)) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value);
      }
      abort.abort();
      seen.push(text);
    }
    const all = seen.join('\n');
    expect(all).toContain(tokenIds[0]);
    for (const name of names) expect(all).not.toContain(name);
    expect(all).not.toMatch(/98450|MRN-/);
  });

  it('a token id from the board opens nothing for a display, nor for no credentials', async () => {
    for (const id of tokenIds) {
      for (const url of [`/api/tokens/${id}`, `/api/tokens/${id}/events`]) {
        expect((await display.call('GET', url)).status, url).toBe(403);
        expect((await none.call('GET', url)).status, url).toBe(401);
      }
      for (const action of ['cancel', 'check-in', 'no-show']) {
        expect((await display.call('POST', `/api/tokens/${id}/${action}`, {})).status, action).toBe(403);
      }
    }
    expect((await display.call('GET', `/api/slots/${day.slots[0].id}`)).status).toBe(403);
    expect((await display.call('GET', `/api/doctors/${day.doctor.id}/schedule`)).status).toBe(403);
  });
});
