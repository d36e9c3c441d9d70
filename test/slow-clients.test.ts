// Slow clients against a real server process on 127.0.0.1: 200 connections trickle a byte at a time
// (half of them a body, half their headers) and never finish. A booking made meanwhile is not held up
// beyond a generous bound; every slow connection is cut with a 408 problem+json once the request
// (or headers) timeout passes; an idle keep-alive connection is closed; the live feed, a response
// that lasts, is not cut by any of these timeouts.
//
// Bounded: 200 sockets, one byte each per 250 ms, each gives up by itself after 30 s.

import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, expectStatus, http, sleep, startServer, type ServerProcess } from './kits/process-kit.ts';

const SLOW = 200;
const REQUEST_TIMEOUT_MS = 3_000;
const HEADERS_TIMEOUT_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
const TRICKLE_MS = 250;
const GIVE_UP_MS = 30_000;
/** A booking takes milliseconds; this is for a loaded machine shared with other test runs. */
const BOOKING_BOUND_MS = 5_000;

const DATE = '2026-03-10';
const at = (hhmm: string) => `${DATE}T${hhmm}:00+05:30`;

interface Slow {
  kind: 'body' | 'headers';
  startedAt: number;
  /** When the server closed it, ms after start; null if we gave up first. */
  closedAfter: number | null;
  answer: string;
}

/** The server's admin key: a slow booking is a signed-in one (a signed-out one is refused 401 at once). */
let authorization = '';

/** One connection that sends its request a byte at a time and never completes it. */
function slowClient(port: number, kind: Slow['kind']): Promise<Slow> {
  const headers = `POST /api/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n`;
  const body = `{"doctorId":"x","source":"WALKIN","patient":{"name":"${'s'.repeat(500)}`;
  return new Promise((resolve) => {
    const slow: Slow = { kind, startedAt: Date.now(), closedAfter: null, answer: '' };
    const socket = net.connect(port, '127.0.0.1');
    // The body tricklers send their headers at once; the header tricklers never get that far.
    const pending = kind === 'body' ? body : headers;
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      if (kind === 'body') socket.write(headers);
      timer = setInterval(() => {
        if (i < pending.length && socket.writable) socket.write(pending[i++]!);
      }, TRICKLE_MS);
    });
    const giveUp = setTimeout(() => socket.destroy(), GIVE_UP_MS);
    socket.on('data', (d) => (slow.answer += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      const after = Date.now() - slow.startedAt;
      slow.closedAfter = after < GIVE_UP_MS ? after : null;
      resolve(slow);
    });
  });
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

describe('slow clients', () => {
  let server: ServerProcess;
  let port: number;
  let doctorId: string;
  let patients = 0;

  // A file store (in a directory of its own): the test opens it to make the admin key.
  const dataDir = mkdtempSync(join(tmpdir(), 'opd-slow-'));

  beforeAll(async () => {
    server = await startServer(
      {
        OPD_DATA_DIR: dataDir,
        OPD_CLOCK: 'manual',
        OPD_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        OPD_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        OPD_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      },
      { name: 'slow-clients server' },
    );
    port = Number(new URL(server.url).port);
    authorization = authHeaders(server.url).authorization ?? '';
    await expectStatus(server, 'PUT', '/api/clock', { now: at('08:00') }, 200);
    doctorId = (await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, 201)).id;
    await expectStatus(server, 'POST', '/api/slots', { doctorId, start: at('09:00'), end: at('17:00'), capacity: 1000 }, 201);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const book = async (): Promise<number> => {
    patients++;
    const started = performance.now();
    const res = await http(server.url, 'POST', '/api/tokens', { doctorId, source: 'WALKIN', patient: { name: `Patient ${patients}`, id: `P-${patients}` } }, BOOKING_BOUND_MS * 2);
    const ms = performance.now() - started;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return ms;
  };

  it('200 trickling connections do not hold up a booking, are cut by the timeouts with a 408, and leave the live feed alone', async () => {
    // The live feed, opened first: it must outlive every timeout below.
    const feedAbort = new AbortController();
    const feed = await fetch(`${server.url}/api/events`, { headers: authHeaders(server.url), signal: feedAbort.signal });
    expect(feed.status).toBe(200);
    const reader = feed.body!.getReader();
    let feedText = '';
    const decoder = new TextDecoder();
    const reading = (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) return;
        feedText += decoder.decode(chunk.value, { stream: true });
      }
    })();

    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) baseline.push(await book());

    const started = Date.now();
    const slow = Array.from({ length: SLOW }, (_, i) => slowClient(port, i % 2 === 0 ? 'body' : 'headers'));
    await sleep(1_000); // all connected and trickling

    const underLoad: number[] = [];
    for (let i = 0; i < 10; i++) underLoad.push(await book());

    const done = await Promise.all(slow);
    const allCutAfter = Date.now() - started;

    // After every timeout has passed, the feed still delivers a new booking.
    await book();
    const deadline = Date.now() + 10_000;
    while (!feedText.includes(`"type":"TokenIssued"`) || (feedText.match(/event: TokenIssued/g) ?? []).length < 16) {
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    feedAbort.abort();
    await reading;

    const cut = done.filter((s) => s.closedAfter !== null);
    const got408 = done.filter((s) => /^HTTP\/1\.1 408 Request Timeout\r\n/.test(s.answer) && s.answer.includes('"code":"REQUEST_TIMEOUT"') && /content-type: application\/problem\+json/i.test(s.answer));
    const cutTimes = (kind: Slow['kind']) => cut.filter((s) => s.kind === kind).map((s) => s.closedAfter!);
    const numbers = {
      bookingMsBaseline: { median: Math.round(quantile(baseline, 0.5)), max: Math.round(Math.max(...baseline)) },
      bookingMsUnderLoad: { median: Math.round(quantile(underLoad, 0.5)), max: Math.round(Math.max(...underLoad)) },
      cutBody: { n: cutTimes('body').length, minMs: Math.min(...cutTimes('body')), medianMs: quantile(cutTimes('body'), 0.5), maxMs: Math.max(...cutTimes('body')) },
      cutHeaders: { n: cutTimes('headers').length, minMs: Math.min(...cutTimes('headers')), medianMs: quantile(cutTimes('headers'), 0.5), maxMs: Math.max(...cutTimes('headers')) },
      answered408: got408.length,
      allCutAfterMs: allCutAfter,
      feedEvents: (feedText.match(/event: TokenIssued/g) ?? []).length,
    };
    console.log(`slow clients: ${JSON.stringify(numbers)}`);

    expect(Math.max(...underLoad)).toBeLessThan(BOOKING_BOUND_MS);
    // Every slow connection was closed by the server, not by our give-up timer …
    expect(cut.length).toBe(SLOW);
    // … no sooner than its timeout (a little slack for clocks), and well before it would have finished …
    expect(numbers.cutBody.minMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 200);
    expect(numbers.cutHeaders.minMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 200);
    expect(Math.max(numbers.cutBody.maxMs, numbers.cutHeaders.maxMs)).toBeLessThan(GIVE_UP_MS / 2);
    // … with a 408 problem+json.
    const not408 = done.filter((d) => !got408.includes(d)).map((d) => ({ kind: d.kind, closedAfter: d.closedAfter, answer: d.answer.slice(0, 300) }));
    expect(got408.length, `answered otherwise (the first 5 of ${not408.length}): ${JSON.stringify(not408.slice(0, 5))}\n--- server output ---\n${server.output()}`).toBe(SLOW);
    // The feed saw all 16 bookings, the last made after every slow client was cut.
    expect(numbers.feedEvents).toBe(16);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    await new Promise((r) => socket.once('connect', r));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const answeredBy = Date.now() + 5_000;
    while (!text.includes('"status":"ok"') && Date.now() < answeredBy) await sleep(20);
    const answered = Date.now();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    const giveUp = setTimeout(() => socket.destroy(), 20_000);
    const idleMs = (await closed) - answered;
    clearTimeout(giveUp);
    console.log(`idle keep-alive connection closed after ${idleMs} ms`);
    expect(idleMs).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 200);
    expect(idleMs).toBeLessThan(10_000);
  });
});
