// The desk's first paint on a heavy day, in Chromium against a real server: one doctor-day holding
// 3,000 tokens (30 slots of 100), against a light day (one token) of the same server in the same run.
// It prints the times and their ratio; nothing here asserts a time (the machine is shared), only that
// every token is on screen and the page does not scroll sideways.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, http, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the desk load browser test: ${missing}.`);

const DAY = '2026-03-10';
const TOKENS = 3000;
const SLOTS = 30;
const iso = (minutes: number) => {
  const h = String(Math.floor(minutes / 60)).padStart(2, '0');
  const m = String(minutes % 60).padStart(2, '0');
  return `${DAY}T${h}:${m}:00+05:30`;
};

describe.skipIf(missing !== null)('the desk on a day of 3,000 tokens', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let heavy: { id: string };
  let light: { id: string };
  let cookie: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-load-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'load server' });
    await expectStatus(server, 'PUT', '/api/clock', { now: iso(7 * 60) }, 200);
    heavy = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Busy', department: 'General Medicine', code: 'GM' }, 201);
    light = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Quiet', department: 'Dermatology', code: 'DR' }, 201);
    const slotIds: string[] = [];
    for (let i = 0; i < SLOTS; i++) {
      const start = 8 * 60 + i * 20;
      slotIds.push((await expectStatus(server, 'POST', '/api/slots', { doctorId: heavy.id, start: iso(start), end: iso(start + 20), capacity: TOKENS / SLOTS }, 201)).id);
    }
    const quiet = await expectStatus(server, 'POST', '/api/slots', { doctorId: light.id, start: iso(8 * 60), end: iso(9 * 60), capacity: 10 }, 201);
    await expectStatus(server, 'POST', '/api/tokens', { doctorId: light.id, source: 'WALKIN', patient: { name: 'Only One' }, slotId: quiet.id }, 201);
    const sources = ['WALKIN', 'ONLINE', 'FOLLOWUP', 'PAID'];
    let next = 0;
    const worker = async () => {
      while (next < TOKENS) {
        const i = next++;
        const reply = await http(server.url, 'POST', '/api/tokens', {
          doctorId: heavy.id,
          source: sources[i % sources.length],
          patient: { name: `Patient ${i}`, phone: `98${String(40000000 + i)}` },
          slotId: slotIds[Math.floor(i / (TOKENS / SLOTS))],
        });
        if (reply.status !== 201) throw new Error(`token ${i}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    browser = await launchBrowser();
    cookie = await staffSession(server.url, 'desk');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Milliseconds from navigation to the first contentful paint and to every token row drawn. */
  async function firstPaint(doctorId: string, rows: number): Promise<{ fcp: number; tokens: number; page: Page }> {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/?doctor=${doctorId}&date=${DAY}`);
    // Checked on every animation frame, in the page (through the debugging protocol, which the page's
    // Content-Security-Policy does not govern): the time the last row was there to be drawn.
    const tokens = await page.evaluate<number>(
      `new Promise((done) => { const look = () => document.querySelectorAll('.slots tr[data-token]').length >= ${rows} ? done(performance.now()) : requestAnimationFrame(look); look(); })`,
    );
    const fcp = await page.evaluate<number>(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`);
    return { fcp, tokens, page };
  }

  it('draws every token of the day, and says how long it took against a light day', async () => {
    // Each page once first to warm the server's day cache and the browser's code cache, as a desk is in the morning.
    for (const [id, rows] of [
      [light.id, 1],
      [heavy.id, TOKENS],
    ] as const) {
      const warm = await firstPaint(id, rows);
      await warm.page.context().close();
    }
    const lightDay = await firstPaint(light.id, 1);
    const heavyDay = await firstPaint(heavy.id, TOKENS);
    expect(await heavyDay.page.locator('.slots tr[data-token]').count()).toBe(TOKENS);
    expect(await fitsWidth(heavyDay.page)).toBe(true);
    console.log(
      `desk first paint: 3,000-token day ${heavyDay.tokens.toFixed(0)} ms to every row (first contentful paint ${heavyDay.fcp.toFixed(0)} ms); ` +
        `1-token day ${lightDay.tokens.toFixed(0)} ms (FCP ${lightDay.fcp.toFixed(0)} ms); ratio ${(heavyDay.tokens / lightDay.tokens).toFixed(1)}×`,
    );
    const schedule = await http(server.url, 'GET', `/api/doctors/${heavy.id}/schedule?date=${DAY}`);
    console.log(`schedule answer of the 3,000-token day: ${(JSON.stringify(schedule.body).length / 1024).toFixed(0)} KiB`);
    await lightDay.page.context().close();
    await heavyDay.page.context().close();
  });
});
