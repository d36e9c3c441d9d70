// The weekly rota in the web desk, end to end: a real server (`opd serve`, manual clock, a fresh SQLite
// database) in Debian's Chromium. The admin sets a doctor's room and a weekly session in the admin
// view, by keyboard; the desk then shows the next days' slots; a rota edit on a day with tokens asks
// first; a leave closes a date and names the patients to call. Screenshots at a phone's, a tablet's, a
// desk PC's and a wall screen's size, each checked with axe-core and for sideways scrolling.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { expectStatus, http, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the rota browser tests: ${missing}.`);

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

describe.skipIf(missing !== null)('rota generating slots', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let cookie: string;
  let doctor: { id: string; code: string };

  /** Screenshots at each size, scrolled to `show` (a phone shows one section at a time). */
  async function everySize(name: string, show?: Locator) {
    for (const size of VIEWPORTS) {
      await page.setViewportSize(size);
      if (show) await show.scrollIntoViewIfNeeded();
      expect(await fitsWidth(page), `${name} at ${size.width} px`).toBe(true);
      await screenshot(page, `${name}-${size.width}x${size.height}`);
    }
    expect(await accessibilityProblems(page), name).toEqual([]);
    await page.setViewportSize(DESK_VIEWPORT);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-rota-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'rota server' });
    // Tuesday 10 March 2026, 08:30 in the hospital.
    await expectStatus(server, 'PUT', '/api/clock', { now: '2026-03-10T08:30:00+05:30' }, 200);
    doctor = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM', room: 'Room 7' }, 201);
    cookie = await staffSession(server.url, 'admin');
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const notice = (id: string) => page.getByTestId(id).innerText();
  const slotsOnDesk = () => page.locator('section[data-slot]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-slot')));

  it('the admin sets the room and a Wednesday session by keyboard; the desk shows the next Wednesdays\' slots', async () => {
    await page.goto(`${server.url}/admin?section=rota&doctor=${doctor.id}`);
    await page.getByRole('heading', { name: 'OPD sessions of Dr Asha Rao' }).waitFor();
    expect(await page.getByText('No sessions: the service makes no slots for this doctor.').count()).toBe(1);

    await page.getByLabel('Room (sessions without a room of their own use it)').fill('Room 12');
    await page.keyboard.press('Enter');
    await expect.poll(() => notice('room-notice'), LIVE).toContain('Dr Asha Rao sees patients in Room 12');

    await page.getByRole('button', { name: 'Add a session' }).focus();
    await page.keyboard.press('Enter');
    const session = page.getByRole('group', { name: 'Session 1' });
    await session.getByLabel('Day', { exact: true }).focus();
    await session.getByLabel('Day', { exact: true }).selectOption('3'); // Wednesday
    await session.getByLabel('From', { exact: true }).fill('09:00');
    await session.getByLabel('To', { exact: true }).fill('09:50');
    await session.getByLabel('Minutes per slot', { exact: true }).fill('30');
    await session.getByLabel('Seats per slot', { exact: true }).fill('3');
    await session.getByLabel('Room', { exact: true }).fill('OPD 5');
    await page.getByRole('button', { name: 'Save rota' }).click();
    // 50 minutes do not make 30-minute slots: the words stand next to the field, nothing is saved.
    await expect.poll(() => notice('rota-notice'), LIVE).toContain('The rota was not saved: fix the marked fields.');
    const minutes = session.getByLabel('Minutes per slot', { exact: true });
    expect(await minutes.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await minutes.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toBe('Wednesday 09:00–09:50: 50 minutes do not divide into slots of 30 minutes');
    await everySize('rota-field-error', minutes);

    await session.getByLabel('To', { exact: true }).fill('10:00');
    await session.getByLabel('To', { exact: true }).press('Enter');
    await expect.poll(() => notice('rota-notice'), LIVE).toContain('Rota saved for Dr Asha Rao. Slots made again for 2 days ahead.');
    expect(await minutes.getAttribute('aria-invalid')).toBeNull();
    await everySize('rota-editor');

    // The desk, on the next Wednesday and the one after: the rota's slots, nothing on Thursday.
    for (const date of ['2026-03-11', '2026-03-18']) {
      await page.goto(`${server.url}/?doctor=${doctor.id}&date=${date}`);
      await expect.poll(slotsOnDesk, LIVE).toEqual(['09:00–09:30', '09:30–10:00']);
    }
    await everySize('rota-desk-wednesday');
    const schedule = await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=2026-03-12`);
    expect(schedule.body.slots).toEqual([]);
  });

  it('an edit that reaches a day with tokens asks first; applying it moves nobody', async () => {
    const issued = await http(
      server.url,
      'POST',
      '/api/tokens',
      { doctorId: doctor.id, source: 'WALKIN', patient: { name: 'Meena Iyer', phone: '98450 11111' }, date: '2026-03-11' },
    );
    expect(issued.status).toBe(201);
    await page.goto(`${server.url}/admin?section=rota&doctor=${doctor.id}`);
    const session = page.getByRole('group', { name: 'Session 1' });
    await session.getByLabel('Seats per slot', { exact: true }).fill('4');
    await session.getByLabel('Seats per slot', { exact: true }).press('Enter');
    const ask = page.getByRole('group', { name: 'These days already have tokens' });
    await expect.poll(() => ask.innerText(), LIVE).toContain('Wednesday 11 March: 1 patient booked or waiting');
    await everySize('rota-asks', ask);
    await ask.getByRole('button', { name: 'Apply to these days' }).click();
    await expect.poll(() => notice('rota-notice'), LIVE).toContain('The new rota now applies to Wednesday 11 March.');
    const day = await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=2026-03-11`);
    // Both slots follow the new rota (4 seats): more seats move nobody, and Meena keeps her place.
    expect(day.body.slots.map((s: { capacity: number; room: string }) => [s.capacity, s.room])).toEqual([
      [4, 'OPD 5'],
      [4, 'OPD 5'],
    ]);
    const meena = await http(server.url, 'GET', `/api/tokens/${issued.body.id}`);
    expect([meena.body.status, meena.body.slotId]).toEqual(['ALLOCATED', day.body.slots[0].id]);
  });

  it('a leave closes the date, says whom to call, and the date can be reopened', async () => {
    await page.goto(`${server.url}/admin?section=rota&doctor=${doctor.id}`);
    await page.getByLabel('Date', { exact: true }).fill('2026-03-11');
    await page.getByLabel('For').selectOption(doctor.id);
    await page.getByLabel('Reason').fill('Conference');
    await page.getByRole('button', { name: 'Close date' }).click();
    await expect.poll(() => notice('closed-notice'), LIVE).toContain('Wednesday 11 March closed for Dr Asha Rao: 2 slots closed.');
    expect(await page.getByRole('list', { name: 'Patients to call' }).innerText()).toContain('GM-001 Meena Iyer');
    await expect.poll(() => page.getByRole('list', { name: 'Leave and holidays ahead' }).innerText(), LIVE).toMatch(/Wednesday 11 March\s+Dr Asha Rao\s+Conference/);
    await everySize('rota-leave', page.getByRole('list', { name: 'Patients to call' }));
    await page.getByRole('button', { name: 'Reopen Wednesday 11 March for Dr Asha Rao' }).click();
    await expect.poll(() => notice('closed-notice'), LIVE).toContain('Wednesday 11 March is open again: its slots are back.');
  });
});
