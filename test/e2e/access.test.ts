// Accounts in the web desk, end to end: a real server (`opd serve`, manual clock, SQLite file, a fresh
// database) serving the built desk, driven in Debian's Chromium. In order: the set-up link the server
// prints creates the first admin; the admin makes accounts, an API key and a display link; each role
// sees only its screens; a display link shows the board without a staff account and blanks when it is
// revoked; an idle session returns to sign-in and keeps the form the receptionist was typing; sign-out;
// too many wrong passwords are refused in words. Screenshots of sign-in, set-up and each admin section
// at a phone's, a tablet's and a desk PC's size land in test/screenshots/, each checked with axe-core
// and for sideways scrolling.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { sleep, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot, signInOverHttp, staffRequest } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the access browser tests: ${missing}.`);

const DAY = '2026-03-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;
const IDLE_MINUTES = 30;
const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
] as const;

const ADMIN = { username: 'anita', displayName: 'Anita Sharma', password: 'correct horse battery' };
const DESK = { username: 'ravi.desk', displayName: 'Ravi Kumar', password: 'front desk pass 1' };
const DOCTOR = { username: 'dr.rao', displayName: 'Dr Asha Rao', password: 'doctor pass word 1' };

/** A request with only the credentials given (none by default): its status and JSON answer. */
async function plain(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') && text !== '' ? JSON.parse(text) : text };
}

describe.skipIf(missing !== null)('accounts in the web desk', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let adminCookie: string;
  let gm: { id: string; code: string };
  let pd: { id: string; code: string };
  let displayUrl: string;

  /** A request of the test itself, as the admin. */
  const asAdmin = (method: string, path: string, body?: unknown, status = 200) => staffRequest(server.url, adminCookie, method, path, body, status);

  /** Screenshots at a phone's, a tablet's and a desk PC's size: nothing sideways, nothing axe finds. */
  async function everySize(page: Page, name: string) {
    for (const size of VIEWPORTS) {
      await page.setViewportSize(size);
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await fitsWidth(page), `${name} at ${size.width} px`).toBe(true);
      await screenshot(page, `${name}-${size.width}x${size.height}`);
    }
    expect(await accessibilityProblems(page), name).toEqual([]);
    await page.setViewportSize(DESK_VIEWPORT);
  }

  async function signInPage(page: Page, who: { username: string; password: string }) {
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allInnerTexts();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-access-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual', OPD_SESSION_IDLE_MINUTES: String(IDLE_MINUTES) }, { name: 'access server' });
    browser = await launchBrowser();
    adminContext = await browser.newContext({ viewport: DESK_VIEWPORT });
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a signed-out visitor of any screen gets the sign-in page', async () => {
    const page = await browser.newPage({ viewport: DESK_VIEWPORT });
    for (const path of ['/', '/admin', '/doctor/anyone']) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/signin');
      expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    }
    // While no admin exists, the page says where the set-up link is.
    // The hint comes from the server's set-up status, read after the page is drawn: wait for it.
    await expect.poll(() => page.locator('main').innerText(), LIVE).toContain('No administrator yet');
    await page.close();
  });

  it('the set-up link that the server printed creates the first admin, who lands in the admin view', async () => {
    await expect.poll(() => /\/setup#([A-Za-z0-9_-]+)/.exec(server.output())?.[1], LIVE).toBeTruthy();
    const code = /\/setup#([A-Za-z0-9_-]+)/.exec(server.output())![1]!;
    await admin.goto(`${server.url}/setup#${code}`);
    await admin.getByLabel('Username').waitFor();
    // The code leaves the address bar at once (history, screen sharing).
    expect(new URL(admin.url()).hash).toBe('');
    await everySize(admin, 'setup');

    await admin.getByLabel('Username').fill(ADMIN.username);
    await admin.getByLabel('Display name').fill(ADMIN.displayName);
    await admin.locator('input[name="password"]').fill(ADMIN.password);
    await admin.getByLabel('Password again').fill('not the same password');
    await admin.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await expect.poll(() => admin.getByTestId('setup-error').innerText(), LIVE).toBe('The two passwords are not the same.');
    await admin.getByLabel('Password again').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await expect.poll(() => new URL(admin.url()).pathname, LIVE).toBe('/admin');
    await expect.poll(() => admin.getByTestId('signed-in-as').innerText(), LIVE).toContain(ADMIN.displayName);
    expect(await navLinks(admin)).toEqual(['Front desk', 'Board', 'Admin']);

    // The link works once: set-up is closed now.
    const again = await browser.newPage({ viewport: DESK_VIEWPORT });
    await again.goto(`${server.url}/setup#${code}`);
    await expect.poll(() => again.locator('main').innerText(), LIVE).toContain('An administrator exists already');
    await again.close();

    adminCookie = await signInOverHttp(server.url, ADMIN.username, ADMIN.password);
    await asAdmin('PUT', '/api/clock', { now: at('08:30') });
    gm = await asAdmin('POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, 201);
    pd = await asAdmin('POST', '/api/doctors', { name: 'Dr Nisha Pillai', department: 'Paediatrics', code: 'PD' }, 201);
    for (const d of [gm, pd]) await asAdmin('POST', '/api/slots', { doctorId: d.id, start: at('09:00'), end: at('10:00'), capacity: 4 }, 201);
  });

  it('the admin adds a desk account and a doctor account, disables and enables one, and sets a new password', async () => {
    await admin.goto(`${server.url}/admin?section=accounts`);
    const add = async (who: typeof DESK, role: string, doctors: string[] = []) => {
      await admin.getByLabel('Username').fill(who.username);
      await admin.getByLabel('Display name').fill(who.displayName);
      await admin.locator('select[name="newRole"]').selectOption(role);
      for (const d of doctors) await admin.getByRole('group', { name: 'Doctors of this account' }).getByLabel(d).check();
      await admin.locator('input[name="newPassword"]').fill(who.password);
      await admin.locator('input[name="newPasswordAgain"]').fill(who.password);
      await admin.getByRole('button', { name: 'Add account' }).click();
      await expect.poll(() => admin.getByTestId('accounts-notice').innerText(), LIVE).toContain(`Added ${who.displayName} (${who.username})`);
    };
    await add(DESK, 'desk');
    await add({ ...DESK, username: 'old.desk', displayName: 'Old Desk' }, 'desk');
    await add(DOCTOR, 'doctor', ['Dr Asha Rao']);
    const row = (username: string) => admin.getByTestId('accounts').locator(`li[data-username="${username}"]`);
    await expect.poll(() => row(DOCTOR.username).innerText(), LIVE).toContain('Doctor · Dr Asha Rao');

    await admin.getByRole('button', { name: 'Disable old.desk' }).click();
    await expect.poll(() => row('old.desk').innerText(), LIVE).toContain('disabled');
    expect((await plain(server.url, 'POST', '/api/session', { username: 'old.desk', password: DESK.password })).status).toBe(401);
    await admin.getByRole('button', { name: 'Enable old.desk' }).click();
    await expect.poll(() => row('old.desk').innerText(), LIVE).not.toContain('disabled');

    await admin.getByRole('button', { name: 'Reset password of old.desk' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.locator('input[name="resetPassword"]').fill('a brand new pass');
    await dialog.getByLabel('New password again').fill('a brand new pass');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => admin.getByTestId('accounts-notice').innerText(), LIVE).toContain('New password set for Old Desk');
    expect((await plain(server.url, 'POST', '/api/session', { username: 'old.desk', password: 'a brand new pass' })).status).toBe(200);

    // Changing a role: old.desk becomes the paediatrician's account.
    await admin.getByRole('button', { name: 'Change role of old.desk' }).click();
    await admin.getByRole('dialog').locator('select[name="role"]').selectOption('doctor');
    await admin.getByRole('dialog').getByLabel('Dr Nisha Pillai').check();
    await admin.getByRole('dialog').getByRole('button', { name: 'Save role' }).click();
    await expect.poll(() => row('old.desk').innerText(), LIVE).toContain('Doctor · Dr Nisha Pillai');

    // The only admin cannot disable themself: the server's refusal is said in words.
    await admin.getByRole('button', { name: `Disable ${ADMIN.username}` }).click();
    await expect.poll(() => admin.getByTestId('accounts-notice').innerText(), LIVE).toMatch(/admin/i);
    expect(await admin.getByTestId('accounts-notice').getByRole('alert').count()).toBe(1);
    await everySize(admin, 'admin-accounts');
  });

  it('an API key is shown once with Copy, works, and stops working when revoked', async () => {
    await admin.goto(`${server.url}/admin?section=keys`);
    await admin.getByLabel('Name').fill('Lab system');
    await admin.locator('select[name="keyRole"]').selectOption('desk');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const shown = admin.getByTestId('new-key');
    await shown.waitFor();
    expect(await shown.innerText()).toContain('It will not be shown again.');
    expect(await shown.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    const secret = await admin.getByTestId('new-key-value').inputValue();
    expect(secret.length).toBeGreaterThan(30);
    const me = await plain(server.url, 'GET', '/api/session', undefined, { authorization: `Bearer ${secret}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'apiKey', name: 'Lab system', role: 'desk' });
    await everySize(admin, 'admin-api-keys');

    await shown.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await admin.getByTestId('new-key').count()).toBe(0);
    expect(await admin.locator('main').innerText()).not.toContain(secret);
    await admin.getByRole('button', { name: 'Revoke key Lab system' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke Lab system' }).click();
    await expect.poll(() => admin.getByTestId('keys-notice').innerText(), LIVE).toContain('Key Lab system revoked');
    // A server keeps a resolved key for up to 5 s (docs/security.md, "Caching"): refused within that.
    await expect
      .poll(async () => (await plain(server.url, 'GET', '/api/session', undefined, { authorization: `Bearer ${secret}` })).status, { timeout: 8_000, interval: 250 })
      .toBe(401);
  });

  it('a display link shows the board without a staff account, and blanks it when revoked', async () => {
    await admin.goto(`${server.url}/admin?section=displays`);
    await admin.getByLabel('Name').fill('Waiting hall A');
    await admin.getByRole('group', { name: 'Doctors on this board' }).getByLabel('Dr Asha Rao').check();
    await admin.getByLabel('Board languages').selectOption({ label: 'English and Hindi, in turn' });
    await admin.getByRole('button', { name: 'Create link' }).click();
    await admin.getByTestId('new-link').waitFor();
    displayUrl = await admin.getByTestId('new-link-value').inputValue();
    expect(displayUrl).toMatch(new RegExp(`^${server.url}/display/[A-Za-z0-9_-]+\\?lang=en,hi$`));
    await everySize(admin, 'admin-display-links');

    // Something to show: two tokens of Dr Rao, the first one called.
    const first = await asAdmin('POST', '/api/tokens', { doctorId: gm.id, source: 'WALKIN', patient: { name: 'Meera Nair' } }, 201);
    await asAdmin('POST', '/api/tokens', { doctorId: gm.id, source: 'WALKIN', patient: { name: 'Arjun Das' } }, 201);
    await asAdmin('PUT', '/api/clock', { now: at('09:05') });
    await asAdmin('POST', `/api/tokens/${first.id}/check-in`, undefined);
    await asAdmin('POST', `/api/doctors/${gm.id}/call-next`, undefined);

    const wall = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const board = await wall.newPage();
    await board.goto(displayUrl);
    await expect.poll(() => new URL(board.url()).pathname, LIVE).toBe('/board');
    expect(new URL(board.url()).searchParams.get('lang')).toBe('en,hi');
    await expect.poll(() => board.getByTestId('board-serving').innerText(), LIVE).toBe('GM-001');
    const text = await board.locator('body').innerText();
    expect(text).toContain('GM-002');
    expect(text).not.toMatch(/Meera|Arjun|Sign in/);
    expect(await board.locator('section[data-doctor="PD"]').count()).toBe(0);

    await admin.getByRole('button', { name: 'Done, hide it' }).click();
    await admin.getByRole('button', { name: 'Revoke link Waiting hall A' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke Waiting hall A' }).click();
    const revokedAt = Date.now();
    // The board notices at its next read (every 30 s) or when its live feed is closed (within 30 s).
    await expect.poll(() => board.getByTestId('revoked').count(), { timeout: 45_000, interval: 200 }).toBe(1);
    console.log(`display link revoked → board blank in ${Date.now() - revokedAt} ms`);
    const after = await board.locator('body').innerText();
    expect(after).toContain("This screen's link was revoked. Ask an administrator for a new one.");
    expect(after).not.toMatch(/GM-\d{3}/);
    // Loaded again, it still says so (not a sign-in form on the waiting-room wall), and the link is dead.
    await board.reload();
    await expect.poll(() => board.getByTestId('revoked').count(), LIVE).toBe(1).catch(async (e) => {
      throw new Error(`${String(e)}: ${board.url()} ${await board.locator('body').innerText()} ${await board.evaluate('fetch("/api/session").then(async (r) => r.status + " " + (await r.text()))')}`);
    });
    expect((await plain(server.url, 'GET', new URL(displayUrl).pathname)).status).toBe(401);
    await wall.close();
  });

  it("12: an admin erases one patient's data after a confirmation; a bad phone is said at its field; staff then see the data erased", async () => {
    const token = await asAdmin('POST', '/api/tokens', { doctorId: gm.id, source: 'WALKIN', patient: { name: 'Sunita Menon', phone: '98450 55555' } }, 201);
    await admin.goto(`${server.url}/admin?section=patients`);
    await admin.getByRole('heading', { name: "Erase a patient's data" }).waitFor();
    const field = admin.getByRole('textbox', { name: 'Phone number' });
    await field.fill('12');
    await admin.getByRole('button', { name: 'Erase patient data…' }).click();
    await admin.getByRole('button', { name: 'Erase for good' }).click();
    await expect.poll(() => admin.getByTestId('erase-field-error').textContent(), LIVE).toBe('This is not a phone number: check the digits.');
    await everySize(admin, 'admin-patient-data-bad-phone');
    await field.fill('098450-55555');
    await admin.getByRole('button', { name: 'Erase patient data…' }).click();
    await admin.getByRole('button', { name: 'Erase for good' }).waitFor();
    await everySize(admin, 'admin-patient-data-confirm');
    await admin.getByRole('button', { name: 'Erase for good' }).click();
    await expect.poll(() => admin.getByTestId('erase-notice').textContent(), LIVE).toContain("Erased the patient's name, phone and id from 1 token.");
    await admin.setViewportSize({ width: 1920, height: 1080 });
    expect(await fitsWidth(admin)).toBe(true);
    await screenshot(admin, 'admin-patient-data-done-1920x1080');
    await everySize(admin, 'admin-patient-data-done');
    expect(await asAdmin('GET', `/api/tokens/${token.id}`)).toMatchObject({ patient: null, patientErased: true });
  });

  it('the desk sees the front desk and the board only; a wrong password is said plainly', async () => {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${server.url}/?doctor=${gm.id}`);
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/signin');
    await signInPage(page, { username: DESK.username, password: 'not my password' });
    await expect.poll(() => page.getByTestId('signin-error').innerText(), LIVE).toBe('Wrong username or password.');
    await signInPage(page, DESK);
    await expect.poll(() => page.url(), LIVE).toBe(`${server.url}/?doctor=${gm.id}`);
    await expect.poll(() => navLinks(page), LIVE).toEqual(['Front desk', 'Board']);
    expect(await page.getByTestId('signed-in-as').innerText()).toContain(DESK.displayName);
    for (const path of ['/admin', `/doctor/${gm.id}`]) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.getByTestId('no-access').count(), LIVE).toBe(1);
      expect(await page.getByRole('heading', { name: 'You do not have access to this screen' }).count()).toBe(1);
    }
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto(`${server.url}/board`);
    await expect.poll(() => page.locator('section[data-doctor="GM"]').count(), LIVE).toBe(1);
    await context.close();
  });

  it('a doctor lands on its console and sees only its own screens', async () => {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await signInPage(page, DOCTOR);
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe(`/doctor/${gm.id}`);
    await expect.poll(() => page.getByTestId('serving').innerText(), LIVE).toContain('GM-001');
    expect(await navLinks(page)).toEqual(['My console', 'Board']);
    for (const path of ['/admin', `/doctor/${pd.id}`, `/?doctor=${gm.id}`]) {
      await page.goto(`${server.url}${path}`);
      if (path.startsWith('/?')) {
        // the front desk is not a doctor's: / goes to its console
        await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe(`/doctor/${gm.id}`);
      } else {
        await expect.poll(() => page.getByTestId('no-access').count(), LIVE).toBe(1);
      }
    }
    await context.close();
  });

  it('an idle session returns to sign-in and keeps the form the receptionist was typing', async () => {
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await signInPage(page, DESK);
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/');
    await page.goto(`${server.url}/?doctor=${pd.id}`);
    await page.getByLabel('Patient name').fill('Kavya Iyer');
    await page.getByLabel('Phone').fill('+91 98450 12345');
    await page.getByLabel('Source').selectOption('ONLINE');

    // Past the idle limit on the hospital's (manual) clock, the session is over: once the server's
    // 5-second cache of the resolved session has let it go (docs/security.md, "Caching").
    await asAdmin('PUT', '/api/clock', { now: at('09:40') });
    await sleep(6_000);
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/?doctor=${pd.id}`);
    await signInPage(page, DESK);
    await expect.poll(() => page.url(), LIVE).toBe(`${server.url}/?doctor=${pd.id}`);
    await expect.poll(() => page.getByLabel('Patient name').inputValue(), LIVE).toBe('Kavya Iyer');
    expect(await page.getByLabel('Phone').inputValue()).toBe('+91 98450 12345');
    expect(await page.getByLabel('Source').inputValue()).toBe('ONLINE');
    expect(await page.getByTestId('outcome').innerText()).toContain('the form is as you left it');
    // Nothing was booked while signed out; now it is, once.
    await page.getByRole('button', { name: 'Issue token' }).click();
    await expect.poll(() => page.getByTestId('outcome').innerText(), LIVE).toMatch(/^Online PD-001 · 09:00–10:00/);

    // Signing out ends it: the screens ask for a sign-in again, and no draft is left behind.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/signin');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.goto(`${server.url}/`);
    await expect.poll(() => new URL(page.url()).pathname, LIVE).toBe('/signin');
    await context.close();
  });

  it('sign-in, at every size; too many attempts say how long to wait', async () => {
    const page = await browser.newPage({ viewport: DESK_VIEWPORT });
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Username').waitFor();
    await everySize(page, 'signin');
    // The server's sign-in limit answers 429 with Retry-After (its own tests count the attempts; at
    // POST /api/session it is not wired yet): here the answer is the server's refusal, replayed.
    await page.route('**/api/session', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'retry-after': '540', 'content-type': 'application/problem+json' },
            body: JSON.stringify({ type: 'about:blank', title: 'Too many attempts', status: 429, code: 'TOO_MANY_REQUESTS', detail: 'too many failed sign-in attempts' }),
          })
        : route.continue(),
    );
    await signInPage(page, { username: 'nobody.here', password: 'wrong password' });
    await expect.poll(() => page.getByTestId('signin-error').innerText(), LIVE).toBe('Too many attempts, try again in 9 minutes.');
    await page.setViewportSize(VIEWPORTS[0]);
    await screenshot(page, 'signin-too-many-375x812');
    await page.close();
  });
});
