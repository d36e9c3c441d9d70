// A real OPD morning at the desk and the doctor's console, in Chromium against a real server (manual
// clock, SQLite file): a walk-in issued from a fresh page by keyboard alone (keys counted), a booked
// patient found by phone written three ways and checked in (keys counted), the form back to Walk-in
// after a paid token, a patient moved by a paid token said at once, finished tokens in their
// collapsed section, a late doctor on the desk and the console, and skip order on the console.
// Each screen is checked with axe-core and for sideways scrolling; screenshots land in test/screenshots/.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { expectStatus, http, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the desk's morning browser tests: ${missing}.`);

const DAY = '2026-03-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;

/** The keys a person pressed to do something, apart from the text they typed (a name, a phone). */
class Keys {
  count = 0;
  constructor(private readonly page: Page) {}
  async press(key: string) {
    this.count++;
    await this.page.keyboard.press(key);
  }
  async type(text: string) {
    await this.page.keyboard.type(text);
  }
}

describe.skipIf(missing !== null)('an OPD morning at the desk and the console', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let doctor: { id: string; code: string; name: string };
  let slots: { id: string }[];
  let cookie: string;

  const status = async (number: string) => {
    const day = (await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DAY}`)).body;
    const all = [...day.slots.flatMap((s: { tokens: unknown[] }) => s.tokens), ...day.waitlist, ...day.finished] as { number: string; status: string }[];
    return all.find((t) => t.number === number)?.status;
  };
  const issue = (source: string, name: string, slot: number, extra: Record<string, unknown> = {}) =>
    expectStatus(server, 'POST', '/api/tokens', { doctorId: doctor.id, source, patient: { name, ...extra }, slotId: slots[slot]!.id }, 201);
  const outcome = (page: Page) => page.getByTestId('outcome').innerText();
  const freshDesk = async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    await expect.poll(() => page.locator('section[data-slot]').count(), LIVE).toBeGreaterThan(0);
    return page;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-morning-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'morning server' });
    await expectStatus(server, 'PUT', '/api/clock', { now: at('08:30') }, 200);
    doctor = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, 201);
    slots = [];
    for (const [start, end] of [
      ['09:00', '10:00'],
      ['10:00', '11:00'],
      ['11:00', '12:00'],
    ]) {
      slots.push(await expectStatus(server, 'POST', '/api/slots', { doctorId: doctor.id, start: at(start!), end: at(end!), capacity: 4 }, 201));
    }
    browser = await launchBrowser();
    cookie = await staffSession(server.url, 'admin');
    context = await browser.newContext({ viewport: DESK_VIEWPORT });
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('issues a walk-in from a fresh page in 3 keys besides the name, checked in at once', async () => {
    const page = await freshDesk();
    const keys = new Keys(page);
    await keys.press('n'); // the form's first field (Source: Walk-in already)
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('issue-source');
    await keys.press('Tab'); // → Patient name
    await keys.type('Ravi Kumar');
    await keys.press('Enter');
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Walk-in GM-001 · 09:00–10:00 · expected 09:00 · checked in/);
    console.log(`keys to issue a walk-in from a fresh page: ${keys.count} (and the name typed)`);
    expect(keys.count).toBeLessThan(10);
    expect(await status('GM-001')).toBe('CHECKED_IN');
    await page.close();
  });

  it('after a paid token the form is back to Walk-in with "patient is here" ticked', async () => {
    const page = await freshDesk();
    await page.getByLabel('Source').selectOption('PAID');
    expect(await page.getByLabel('Patient is here').isChecked()).toBe(false);
    await page.getByLabel('Patient name').fill('Sunita Menon');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Paid GM-002 · 09:00–10:00 · expected/);
    expect(await page.getByLabel('Source').inputValue()).toBe('WALKIN');
    expect(await page.getByLabel('Patient is here').isChecked()).toBe(true);
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('patientName');
    await page.keyboard.type('Next Walkin');
    await page.keyboard.press('Enter');
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Walk-in GM-003 /);
    await page.close();
  });

  it('a refused phone is said next to the phone field, in words', async () => {
    const page = await freshDesk();
    await page.getByLabel('Patient name').fill('Wrong Number');
    await page.getByLabel('Phone').fill('12');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const error = page.locator('#issue-phone-error');
    await expect.poll(() => error.count(), LIVE).toBe(1);
    expect(await error.innerText()).toMatch(/^Phone /);
    expect(await page.getByLabel('Phone').getAttribute('aria-invalid')).toBe('true');
    expect(await outcome(page)).not.toMatch(/\/patient|body/);
    await page.getByLabel('Phone').fill('9845012000');
    expect(await error.count()).toBe(0);
    await page.close();
  });

  it('p before any token was issued on the page says there is nothing to print, and shortcuts do not fire while typing', async () => {
    const page = await freshDesk();
    await page.getByLabel('Patient name').focus();
    await page.keyboard.type('pn/');
    expect(await page.getByLabel('Patient name').inputValue()).toBe('pn/');
    await page.getByLabel('Patient name').fill('');
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await expect.poll(() => outcome(page), LIVE).toContain('No token issued on this page yet: nothing to print');
    await page.keyboard.press('/');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('desk-search');
    await page.close();
  });

  it('finds a booked patient by phone written three ways and checks them in by keyboard', async () => {
    await issue('ONLINE', 'Meera Nair', 1, { phone: '+91 98450 11111' });
    const page = await freshDesk();
    const keys = new Keys(page);
    const results = page.locator('.search-results li');
    await keys.press('/');
    await keys.type('098450-11111');
    await expect.poll(() => page.getByTestId('search-status').innerText(), LIVE).toMatch(/found/);
    await expect.poll(() => results.first().getAttribute('data-token'), LIVE).toBe('GM-004');
    await keys.press('ArrowDown'); // → the first result's first action: Check in
    expect(await page.evaluate<string>('document.activeElement.getAttribute("aria-label")')).toBe('Check in GM-004');
    await keys.press('Enter');
    await expect.poll(() => status('GM-004'), LIVE).toBe('CHECKED_IN');
    console.log(`keys to find a booked patient by phone and check them in: ${keys.count} (and the phone typed)`);
    expect(keys.count).toBeLessThan(10);
    for (const written of ['9845011111', '+91 98450 11111']) {
      await page.getByLabel('Find a patient or token').fill(written);
      await expect.poll(() => page.locator('.search-results li[data-token="GM-004"]').innerText(), LIVE).toContain('Checked in');
    }
    expect(await page.locator('.search-results').innerText()).toContain('Meera Nair');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'desk-search');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('the search box against a stand-in answer of the search contract: keys, results, check in (until the route is merged)', async () => {
    const booked = await issue('ONLINE', 'Anil Joshi', 1, { phone: '+91 98450 22222' });
    const page = await context.newPage();
    const asked: string[] = [];
    // The answer the contract describes, made from the real token; the check-in goes to the real server.
    await page.route('**/api/tokens?q=*', async (route) => {
      asked.push(new URL(route.request().url()).searchParams.get('q')!);
      const token = (await http(server.url, 'GET', `/api/tokens/${booked.id}`)).body;
      const actions = token.status === 'ALLOCATED' ? ['checkIn', 'cancel', 'noShow'] : ['cancel', 'noShow'];
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ results: [{ token, doctor: { id: doctor.id, name: doctor.name, code: 'GM', department: 'General Medicine' }, date: DAY, actions }] }) });
    });
    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    await expect.poll(() => page.locator('section[data-slot]').count(), LIVE).toBeGreaterThan(0);
    const keys = new Keys(page);
    await keys.press('/');
    await keys.type('098450-22222');
    await expect.poll(() => page.locator('.search-results li').first().getAttribute('data-token'), LIVE).toBe(booked.number);
    // typed as one search after the pause, not one per key
    expect(asked).toEqual(['098450-22222']);
    await keys.press('ArrowDown');
    expect(await page.evaluate<string>('document.activeElement.getAttribute("aria-label")')).toBe(`Check in ${booked.number}`);
    await keys.press('Enter');
    await expect.poll(() => status(booked.number), LIVE).toBe('CHECKED_IN');
    // the results follow: Check in is gone, the status says Checked in
    await expect.poll(() => page.locator('.search-results li').first().innerText(), LIVE).toContain('Checked in');
    expect(await page.locator('.search-results li').first().innerText()).not.toContain('Check in');
    console.log(`keys to find a booked patient by phone and check them in (stand-in search answer): ${keys.count} (and the phone typed)`);
    expect(keys.count).toBeLessThan(10);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'desk-search');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('says at once who was moved when a paid token took a seat', async () => {
    const page = await freshDesk();
    // 09:00–10:00 holds GM-001..003 (two walk-ins, one paid); one more walk-in fills it (booked, not here).
    await issue('WALKIN', 'Asha Verma', 0);
    await issue('PAID', 'Kiran Shah', 0);
    await expect.poll(() => page.getByTestId('moved-notices').innerText(), LIVE).toMatch(/^GM-00\d \((Asha Verma|Next Walkin)\) moved to 10:00–11:00: a paid token took the seat/);
    await screenshot(page, 'desk-moved');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('keeps cancelled and no-show tokens in a collapsed "Finished" section of the day', async () => {
    const cancelled = await issue('ONLINE', 'Farah Khan', 2);
    const absent = await issue('ONLINE', 'Dev Patel', 2);
    await expectStatus(server, 'POST', `/api/tokens/${cancelled.id}/cancel`, undefined, 200);
    await expectStatus(server, 'POST', `/api/tokens/${absent.id}/no-show`, undefined, 200);
    const page = await freshDesk();
    const finished = page.getByTestId('finished');
    await expect.poll(() => finished.locator('summary').innerText(), LIVE).toMatch(/Finished\s*2[\s\S]*1 cancelled · 1 no-show/);
    expect(await finished.locator(`tr[data-token="${cancelled.number}"]`).isVisible()).toBe(false);
    await finished.locator('summary').click();
    expect(await finished.locator(`tr[data-token="${cancelled.number}"]`).innerText()).toContain('Cancelled');
    expect(await finished.locator(`tr[data-token="${absent.number}"]`).innerText()).toContain('No-show');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
  });

  it('shows a late doctor on the desk and the console, and skip never offers the same patient next', async () => {
    await expectStatus(server, 'PUT', '/api/clock', { now: at('09:30') }, 200);
    await expectStatus(server, 'POST', `/api/doctors/${doctor.id}/delay`, { minutes: 40 }, 200);
    const desk = await freshDesk();
    await expect.poll(() => desk.getByTestId('delay-banner').innerText(), LIVE).toContain('Running 40 min late, until 10:10');
    await screenshot(desk, 'desk-late');
    expect(await accessibilityProblems(desk)).toEqual([]);

    const page = await context.newPage();
    await page.goto(`${server.url}/doctor/${doctor.id}`);
    await expect.poll(() => page.getByTestId('delay-banner').innerText(), LIVE).toContain('Running 40 min late, until 10:10');
    // The checked-in queue as the server orders it; the console offers its first.
    const queue = async () => page.getByTestId('queue').locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-token')));
    await expect.poll(async () => (await queue()).length, LIVE).toBeGreaterThanOrEqual(2);
    const [first, second] = await queue();
    await page.getByRole('button', { name: `Call next (${first})` }).click();
    await expect.poll(() => page.getByTestId('serving').innerText(), LIVE).toContain(first!);
    await page.getByRole('button', { name: `Skip ${first}` }).click();
    await expect.poll(() => page.getByTestId('console-notice').innerText(), LIVE).toContain(`${first} skipped: back in the queue`);
    // Never the skipped one at once: the next is the one behind it, and the skipped one waits behind.
    await expect.poll(() => page.getByRole('button', { name: /^Call next/ }).innerText(), LIVE).toBe(`Call next (${second})`);
    // The notice comes with the answer, the queue with the feed: wait until the skipped one is back in it.
    await expect.poll(async () => (await queue()).includes(first!), LIVE).toBe(true);
    const after = await queue();
    expect(after.indexOf(second!)).toBeGreaterThanOrEqual(0);
    expect(after.indexOf(first!)).toBeGreaterThan(after.indexOf(second!));
    await page.getByRole('button', { name: /^Call next/ }).click();
    await expect.poll(() => page.getByTestId('serving').innerText(), LIVE).toContain(second!);
    expect(await status(second!)).toBe('CALLED');
    expect(await status(first!)).toBe('CHECKED_IN');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'console-late');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();
    await desk.close();
  });
});
