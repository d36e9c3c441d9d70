// The web desk end to end: a real server (`opd serve`, manual clock, SQLite file) serving the built
// desk, driven in Debian's Chromium. One OPD morning, in order: the desk fills a slot until a patient
// waits, a paid token bumps someone and the desk says so, a cancel promotes the waiting patient on a
// second desk and on the board without a reload, the doctor calls the next patient and the board shows
// it, the board survives the server going away, and set-up works from the admin view.
// Screenshots of every screen land in test/screenshots/.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE, patience } from '../kits/patience.ts';
import { expectStatus, http, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, BOARD_VIEWPORT, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the web desk's browser tests: ${missing}.`);

const DAY = '2026-03-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;

describe.skipIf(missing !== null)('the web desk in a browser', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let browser: Browser;
  let deskContext: BrowserContext;
  let desk: Page;
  let doctor: { id: string; code: string };
  let slots: { id: string }[];
  /** An admin's session, made in the server's store: every browser context is signed in with it. */
  let cookie: string;
  const signedIn = async (context: BrowserContext): Promise<BrowserContext> => {
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    return context;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-'));
    env = { OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' };
    server = await startServer(env, { name: 'desk server' });
    await expectStatus(server, 'PUT', '/api/clock', { now: at('08:30') }, 200);
    doctor = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, 201);
    slots = [];
    for (const [start, end] of [
      ['09:00', '10:00'],
      ['10:00', '11:00'],
    ]) {
      slots.push(await expectStatus(server, 'POST', '/api/slots', { doctorId: doctor.id, start: at(start!), end: at(end!), capacity: 3 }, 201));
    }
    browser = await launchBrowser();
    cookie = await staffSession(server.url, 'admin');
    deskContext = await signedIn(await browser.newContext({ viewport: DESK_VIEWPORT }));
    desk = await deskContext.newPage();
    await desk.goto(`${server.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const outcome = (page: Page) => page.getByTestId('outcome').innerText();
  const slotCard = (page: Page, label: string) => page.locator(`section[data-slot="${label}"]`);
  const tokensIn = async (page: Page, label: string) => slotCard(page, label).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-token')));
  const panel = (board: Page, code: string) => board.locator(`section[data-doctor="${code}"]`);
  const waitlist = (page: Page) => page.getByTestId('waitlist').locator('li').evaluateAll((items) => items.map((i) => i.getAttribute('data-token')));

  /** Issues from the form; "patient is here" unticked unless `here` (the morning's bookings are by phone). */
  async function issue(page: Page, source: string, name: string, slot: string, extra: { id?: string; here?: boolean } = {}) {
    await page.getByLabel('Source').selectOption(source);
    await page.getByLabel('Patient name').fill(name);
    await page.getByLabel('Patient id').fill(extra.id ?? '');
    await page.getByLabel('Patient is here').setChecked(extra.here ?? false);
    const slotId = { '09:00–10:00': slots[0]!.id, '10:00–11:00': slots[1]!.id }[slot]!;
    // (the select's accessible name includes its chosen option: "Slot First slot with room")
    await page.locator('select[name="slot"]').selectOption(slotId);
    const before = await outcome(page);
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => outcome(page), LIVE).not.toBe(before);
    return outcome(page);
  }

  it('issues tokens until the slot fills, and the next one waits', async () => {
    await expect.poll(() => desk.locator('select[name="doctor"]').inputValue(), LIVE).toBe(doctor.id);
    await expect.poll(() => desk.locator('input[name="date"]').inputValue(), LIVE).toBe(DAY);
    expect(await issue(desk, 'WALKIN', 'Meera Nair', '09:00–10:00')).toContain('Walk-in GM-001 · 09:00–10:00');
    expect(await issue(desk, 'WALKIN', 'Arjun Das', '09:00–10:00')).toContain('Walk-in GM-002 · 09:00–10:00');
    expect(await issue(desk, 'ONLINE', 'Kavya Iyer', '09:00–10:00')).toContain('Online GM-003 · 09:00–10:00');
    const full = slotCard(desk, '09:00–10:00');
    await expect.poll(() => full.locator('.seats').innerText(), LIVE).toMatch(/3 used\s+0 free/);
    expect(await issue(desk, 'WALKIN', 'Rohan Gupta', '09:00–10:00')).toContain('Walk-in GM-004 · waitlisted, 1st');
    await expect.poll(() => waitlist(desk), LIVE).toEqual(['GM-004']);
    // serving order: the ONLINE booking before the walk-ins
    expect(await tokensIn(desk, '09:00–10:00')).toEqual(['GM-003', 'GM-001', 'GM-002']);
    expect(await fitsWidth(desk)).toBe(true);
    await screenshot(desk, 'desk');
    expect(await accessibilityProblems(desk)).toEqual([]);
  });

  it('says plainly when a paid token bumps someone, and the token history says why', async () => {
    const said = await issue(desk, 'PAID', 'Sunita Menon', '09:00–10:00');
    // The last booked walk-in gives up the seat and goes to the next slot with room.
    expect(said).toContain('Paid GM-005 · 09:00–10:00');
    expect(said).toContain('GM-002 was moved to 10:00–11:00 to make room');
    await expect.poll(() => tokensIn(desk, '10:00–11:00'), LIVE).toEqual(['GM-002']);
    await screenshot(desk, 'desk-bump');

    await desk.getByRole('button', { name: 'History of GM-002' }).click();
    const history = desk.getByTestId('history');
    await expect.poll(() => history.innerText(), LIVE).toContain('Bumped from 09:00–10:00 by GM-005 (higher priority); moved to 10:00–11:00');
    expect(await history.innerText()).toContain('Issued GM-002 (Walk-in), asking for 09:00–10:00');
    // Who did it, beside each event a person caused (the bump was the paid booking's doing).
    expect(await history.innerText()).toMatch(/Issued GM-002 \(Walk-in\), asking for 09:00–10:00 · by .+ \(admin\)/);
    await screenshot(desk, 'history');
    expect(await accessibilityProblems(desk)).toEqual([]);
    await desk.getByRole('button', { name: 'Close' }).click();
  });

  it("shows a refusal in staff's words, not as raw JSON", async () => {
    await issue(desk, 'FOLLOWUP', 'Farah Khan', '10:00–11:00', { id: 'MRN-77' });
    const said = await issue(desk, 'FOLLOWUP', 'Farah Khan', '10:00–11:00', { id: 'MRN-77' });
    expect(said).toContain('Not issued');
    expect(said).toMatch(/This patient already has GM-006 \(Booked\) with this doctor that day/);
    expect(said).not.toContain('{');
  });

  it('a cancel at one desk promotes the waiting token on a second desk and on the board, without a reload', async () => {
    const second = await deskContext.newPage();
    await second.goto(`${server.url}/?doctor=${doctor.id}`);
    await expect.poll(() => waitlist(second), LIVE).toEqual(['GM-004']);
    const boardContext = await signedIn(await browser.newContext({ viewport: BOARD_VIEWPORT }));
    const board = await boardContext.newPage();
    await board.goto(`${server.url}/board?doctors=${doctor.id}`);
    await expect.poll(() => board.getByTestId('feed-state').innerText(), LIVE).toBe('Live');
    await expect.poll(() => board.getByTestId('board-waitlist').innerText(), LIVE).toContain('GM-004');

    await desk.getByRole('button', { name: 'Cancel GM-001' }).click();
    const dialog = desk.getByRole('dialog');
    expect(await dialog.innerText()).toContain('Meera Nair');
    await dialog.getByRole('button', { name: 'Cancel GM-001' }).click();
    const cancelledAt = Date.now();

    await expect.poll(() => tokensIn(second, '09:00–10:00'), LIVE).toContain('GM-004');
    await expect.poll(() => board.getByTestId('board-next').innerText(), LIVE).toContain('GM-004');
    console.log(`cancel → promoted on the second desk and the board in ${Date.now() - cancelledAt} ms`);
    expect(await waitlist(second)).toEqual([]);
    expect(await tokensIn(second, '09:00–10:00')).not.toContain('GM-001');
    expect(await board.locator('.board').innerText()).not.toMatch(/Rohan|Meera|Kavya|Arjun|Sunita|Farah/);
    await second.close();
    await boardContext.close();
  });

  it('the doctor calls the next patient and the board shows it', async () => {
    await expectStatus(server, 'PUT', '/api/clock', { now: at('09:05') }, 200);
    await desk.getByRole('button', { name: 'Check in GM-003' }).click();
    await desk.getByRole('button', { name: 'Check in GM-005' }).click();
    await expect.poll(() => slotCard(desk, '09:00–10:00').locator('tr[data-token="GM-005"]').innerText(), LIVE).toContain('Checked in');

    // A second doctor's morning, so that the board shows two.
    const paediatrics = await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Nisha Pillai', department: 'Paediatrics', code: 'PD' }, 201);
    const pdSlot = await expectStatus(server, 'POST', '/api/slots', { doctorId: paediatrics.id, start: at('09:00'), end: at('10:00'), capacity: 6 }, 201);
    for (const [source, name] of [['FOLLOWUP', 'Anaya'], ['WALKIN', 'Vihaan'], ['ONLINE', 'Ishaan'], ['WALKIN', 'Diya']]) {
      const t = await expectStatus(server, 'POST', '/api/tokens', { doctorId: paediatrics.id, source, patient: { name: name! }, slotId: pdSlot.id }, 201);
      if (name !== 'Diya') await expectStatus(server, 'POST', `/api/tokens/${t.id}/check-in`, undefined, 200);
    }
    await expectStatus(server, 'POST', `/api/doctors/${paediatrics.id}/call-next`, undefined, 200);

    const boardContext = await signedIn(await browser.newContext({ viewport: BOARD_VIEWPORT }));
    const board = await boardContext.newPage();
    await board.goto(`${server.url}/board?doctors=${doctor.id},${paediatrics.id}`);
    await expect.poll(() => board.getByTestId('feed-state').innerText(), LIVE).toBe('Live');
    await expect.poll(() => panel(board, 'PD').getByTestId('board-serving').innerText(), LIVE).toBe('PD-001');

    const consoleContext = await signedIn(await browser.newContext({ viewport: DESK_VIEWPORT }));
    const doctorPage = await consoleContext.newPage();
    await doctorPage.goto(`${server.url}/doctor/${doctor.id}`);
    await expect.poll(() => doctorPage.getByTestId('queue').innerText(), LIVE).toMatch(/GM-005[\s\S]*GM-003/);
    await doctorPage.getByRole('button', { name: /^Call next/ }).click();
    await expect.poll(() => doctorPage.getByTestId('serving').innerText(), LIVE).toContain('GM-005');
    await expect.poll(() => panel(board, 'GM').getByTestId('board-serving').innerText(), LIVE).toBe('GM-005');
    await expect.poll(() => panel(board, 'GM').getByTestId('board-next').innerText(), LIVE).toMatch(/^GM-003/);
    expect(await fitsWidth(doctorPage)).toBe(true);
    expect(await fitsWidth(board)).toBe(true);
    await screenshot(doctorPage, 'console');
    await screenshot(board, 'board');
    expect(await accessibilityProblems(doctorPage)).toEqual([]);
    expect(await accessibilityProblems(board)).toEqual([]);

    await doctorPage.getByRole('button', { name: 'Complete GM-005' }).click();
    await expect.poll(() => panel(board, 'GM').getByTestId('board-serving').innerText(), LIVE).toBe('–');
    await doctorPage.getByLabel('Running late by').fill('20');
    await doctorPage.getByRole('button', { name: 'Report delay' }).click();
    await expect.poll(() => doctorPage.getByTestId('console-notice').innerText(), LIVE).toContain('Running 20 minutes late');
    await consoleContext.close();
    await boardContext.close();
  });

  it('the board recovers by itself when the server goes away and comes back', async () => {
    const boardContext = await signedIn(await browser.newContext({ viewport: BOARD_VIEWPORT }));
    const board = await boardContext.newPage();
    await board.goto(`${server.url}/board?doctors=${doctor.id}`);
    await expect.poll(() => board.getByTestId('feed-state').innerText(), LIVE).toBe('Live');

    const port = new URL(server.url).port;
    await server.stop();
    await expect.poll(() => board.getByTestId('feed-state').innerText(), LIVE).toBe('Reconnecting…');
    server = await startServer({ ...env, PORT: port }, { name: 'desk server, restarted' });
    await expect.poll(() => board.getByTestId('feed-state').innerText(), { ...LIVE, timeout: patience(15_000) }).toBe('Live');

    const called = await expectStatus(server, 'POST', `/api/doctors/${doctor.id}/call-next`, { date: DAY }, 200);
    await expect.poll(() => board.getByTestId('board-serving').innerText(), LIVE).toBe(called.number);
    await boardContext.close();
  });

  it('issues a token from the keyboard alone, and is ready for the next patient', async () => {
    const page = await deskContext.newPage();
    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    await page.getByLabel('Source').focus();
    await page.keyboard.press('ArrowUp'); // from Walk-in (the default) to Online
    await page.keyboard.press('Tab');
    await page.keyboard.type('Neha Joshi');
    await page.keyboard.press('Tab'); // patient id
    await page.keyboard.press('Tab'); // phone
    await page.keyboard.type('+91 98450 12345');
    await page.keyboard.press('Tab'); // slot: the first with room
    await page.keyboard.press('Tab'); // (flexible is disabled without a slot) → patient is here
    // unticked for an online booking (ticked by default only for walk-ins and emergencies)
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('arrived');
    expect(await page.evaluate<boolean>('document.activeElement.checked')).toBe(false);
    await page.keyboard.press('Tab'); // → Issue token
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Issue token');
    await page.keyboard.press('Enter');
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Online GM-\d{3} · (\d\d:\d\d–\d\d:\d\d|waitlisted)/);
    // the answer is announced, and the cursor is back in the name field for the next patient
    expect(await page.getByTestId('outcome').getByRole('status').count()).toBe(1);
    expect(await page.evaluate<string>('document.activeElement.name')).toBe('patientName');
    const number = /GM-\d{3}/.exec(await outcome(page))![0];
    const token = (await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DAY}`)).body;
    const all = [...token.slots.flatMap((s: { tokens: unknown[] }) => s.tokens), ...token.waitlist] as { number: string; source: string; patient: { phone?: string } }[];
    // stored as E.164: every writing of the number is the same patient
    expect(all.find((t) => t.number === number)).toMatchObject({ source: 'ONLINE', status: 'ALLOCATED', patient: { phone: '+919845012345' } });
    await page.close();
  });

  it('a walk-in issued with "patient is here" (ticked by default) is checked in at once', async () => {
    const s11 = await expectStatus(server, 'POST', '/api/slots', { doctorId: doctor.id, start: at('11:00'), end: at('12:00'), capacity: 3 }, 201);
    const page = await deskContext.newPage();
    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    await page.getByLabel('Source').selectOption('ONLINE');
    expect(await page.getByLabel('Patient is here').isChecked()).toBe(false);
    await page.getByLabel('Source').selectOption('WALKIN');
    expect(await page.getByLabel('Patient is here').isChecked()).toBe(true);
    await page.getByLabel('Patient name').fill('Here Now');
    await page.locator('select[name="slot"]').selectOption(s11.id);
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Walk-in GM-\d{3} · 11:00–12:00/);
    const day = (await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DAY}`)).body;
    const here = day.slots.flatMap((s: { tokens: { patient: { name: string }; status: string }[] }) => s.tokens).find((t: { patient: { name: string } }) => t.patient.name === 'Here Now');
    expect(here.status).toBe('CHECKED_IN');
    await page.close();
  });

  it('a retry after a lost answer does not book the patient twice', async () => {
    const page = await deskContext.newPage();
    await page.goto(`${server.url}/?doctor=${doctor.id}`);
    // The first booking reaches the server, which books it; its answer is lost on the way back.
    let lost = 0;
    await page.route('**/api/tokens', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByLabel('Patient name').fill('Lost Answer');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => outcome(page), LIVE).toContain('The server did not answer');
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => outcome(page), LIVE).toMatch(/^Walk-in GM-\d{3} · /);
    const day = (await http(server.url, 'GET', `/api/doctors/${doctor.id}/schedule?date=${DAY}`)).body;
    const all = [...day.slots.flatMap((s: { tokens: unknown[] }) => s.tokens), ...day.waitlist] as { patient: { name: string } }[];
    expect(all.filter((t) => t.patient.name === 'Lost Answer')).toHaveLength(1);
    expect(lost).toBe(2);
    await page.close();
  });

  it('a board asked for a doctor that does not exist says so, in words (never an id)', async () => {
    const context = await signedIn(await browser.newContext({ viewport: BOARD_VIEWPORT }));
    const page = await context.newPage();
    await page.goto(`${server.url}/board?doctors=no-such-doctor`);
    await expect.poll(() => page.locator('.board-error').innerText(), LIVE).toBe('That doctor is not there: the address may be wrong, or it was removed.');
    await context.close();
  });

  it('sets up a doctor, their slots and their policy from the admin view', async () => {
    const admin = await deskContext.newPage();
    await admin.goto(`${server.url}/admin`);
    await admin.getByLabel('Name').fill('Dr Vikram Shah');
    await admin.getByLabel('Department').fill('Orthopaedics');
    await admin.getByLabel('Code').fill('or');
    await admin.getByRole('button', { name: 'Add doctor' }).click();
    await expect.poll(() => admin.getByTestId('doctor-notice').innerText(), LIVE).toContain('Added Dr Vikram Shah (OR)');

    await admin.getByLabel('First starts at').fill('14:00');
    await admin.getByLabel('Minutes each').fill('30');
    await admin.getByLabel('How many').fill('2');
    await admin.getByLabel('Capacity', { exact: true }).fill('4');
    await admin.getByRole('button', { name: 'Add slots' }).click();
    await expect.poll(() => admin.getByTestId('slot-notice').innerText(), LIVE).toContain('Added slots 14:00–14:30, 14:30–15:00');

    await admin.getByLabel('Preemption').selectOption('off');
    await admin.getByLabel('Online').fill('-1');
    await admin.getByRole('button', { name: 'Save policy' }).click();
    await expect.poll(() => admin.getByTestId('policy-notice').innerText(), LIVE).toContain('Policy of Dr Vikram Shah saved');
    expect(await fitsWidth(admin)).toBe(true);
    await admin.evaluate('window.scrollTo(0, 0)');
    await screenshot(admin, 'admin');
    expect(await accessibilityProblems(admin)).toEqual([]);

    const doctors = (await http(server.url, 'GET', '/api/doctors')).body as { id: string; code: string; policy: unknown }[];
    const added = doctors.find((d) => d.code === 'OR')!;
    // The first allowance edit starts from the hospital default: the emergency overflow seat stays.
    expect(added.policy).toEqual({ preemption: 'off', allowance: { EMERGENCY: 1, PAID: 0, FOLLOWUP: 0, ONLINE: -1, WALKIN: 0 } });
    const day = (await http(server.url, 'GET', `/api/doctors/${added.id}/schedule?date=${DAY}`)).body;
    expect(day.slots.map((s: { start: string; end: string; capacity: number }) => [s.start, s.end, s.capacity])).toEqual([
      [at('14:00'), at('14:30'), 4],
      [at('14:30'), at('15:00'), 4],
    ]);
    await admin.close();
  });
});
