// The desk, the doctor's console and the admin view at a phone (375×812), a tablet (768×1024), a
// laptop (1366×768) and a desktop screen (1920×1080), in Chromium: no sideways scrolling, no
// accessibility violation (axe-core), the issue form never over the slot cards, the console's
// Complete button on screen and not covered. Screenshots of each land in test/screenshots/.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { expectStatus, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the layout browser tests: ${missing}.`);

const DAY = '2026-03-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;
const SIZES = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

// (Strings: this file is type-checked for Node, where there is no DOM.)
/** The boxes of the elements in page coordinates (not the viewport's), so sticky and scrolled parts compare. */
const pageBox = (page: Page, selector: string) =>
  page.evaluate<Box[]>(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => { const r = el.getBoundingClientRect(); return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height }; })`,
  );

/** True when the element is inside the viewport and is what a tap at its centre reaches. */
const reachable = (page: Page, selector: string) =>
  page.evaluate<boolean>(
    `(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false; el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      const inside = r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return inside && hit !== null && (hit === el || el.contains(hit)); })()`,
  );

/** The elements reaching past the right edge (for the failure message): "tag.class 812px". */
const tooWide = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).slice(0, 8).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.') + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')`,
  );

describe.skipIf(missing !== null)('desk, console and admin at four screen sizes', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let doctor: { id: string };
  let cookie: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-layouts-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'layout server' });
    await expectStatus(server, 'PUT', '/api/clock', { now: at('09:10') }, 200);
    doctor = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM', room: 'Room 3' }, 201);
    const slots = [];
    for (const [start, end] of [
      ['09:00', '10:00'],
      ['10:00', '11:00'],
    ]) {
      slots.push(await expectStatus(server, 'POST', '/api/slots', { doctorId: doctor.id, start: at(start!), end: at(end!), capacity: 4 }, 201));
    }
    const people: [string, string, boolean][] = [
      ['EMERGENCY', 'Lakshmi Narayanan Subramaniam', true],
      ['PAID', 'Sunita Menon', false],
      ['FOLLOWUP', 'Farah Khan', true],
      ['ONLINE', 'Meera Nair', false],
      ['WALKIN', 'Ravi Kumar', true],
      ['WALKIN', 'Arjun Das', false],
    ];
    for (const [i, [source, name, here]] of people.entries()) {
      const slotId = slots[i < 4 ? 0 : 1]!.id;
      await expectStatus(server, 'POST', '/api/tokens', { doctorId: doctor.id, source, patient: { name, phone: `98450${String(10000 + i)}` }, slotId, arrived: here }, 201);
    }
    await expectStatus(server, 'POST', `/api/doctors/${doctor.id}/call-next`, {}, 200);
    await expectStatus(server, 'POST', `/api/doctors/${doctor.id}/delay`, { minutes: 20 }, 200);
    browser = await launchBrowser();
    cookie = await staffSession(server.url, 'admin');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(SIZES)('at $width×$height: nothing scrolls sideways, nothing covers the slots, Complete is on screen', async (size) => {
    const context = await browser.newContext({ viewport: size });
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    const name = `${size.width}x${size.height}`;

    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    await expect.poll(() => page.locator('section[data-slot]').count(), LIVE).toBe(2);
    await expect.poll(() => page.getByTestId('delay-banner').count(), LIVE).toBe(1);
    expect(await fitsWidth(page), (await tooWide(page)).join(', ')).toBe(true);
    const form = (await pageBox(page, 'form.issue-form'))[0]!;
    for (const card of await pageBox(page, 'section[data-slot]')) expect(overlap(form, card)).toBe(false);
    // every action of a token row can be pressed where it is
    expect(await reachable(page, 'button[aria-label="Check in GM-002"]')).toBe(true);
    expect(await reachable(page, 'button[type="submit"].primary')).toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, `desk-${name}`);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.goto(`${server.url}/doctor/${doctor.id}`);
    await expect.poll(() => page.getByTestId('serving').count(), LIVE).toBe(1);
    expect(await fitsWidth(page), (await tooWide(page)).join(', ')).toBe(true);
    expect(await reachable(page, '[data-testid="serving"] button.primary')).toBe(true);
    expect(await reachable(page, 'button.call')).toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, `console-${name}`);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.goto(`${server.url}/admin?doctor=${doctor.id}&date=${DAY}`);
    await expect.poll(() => page.getByRole('button', { name: 'Add slots' }).count(), LIVE).toBe(1);
    expect(await fitsWidth(page), (await tooWide(page)).join(', ')).toBe(true);
    expect(await reachable(page, 'form.policy button[type="submit"]')).toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, `admin-${name}`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();
  });
});
