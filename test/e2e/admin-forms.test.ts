// The admin's account forms in Chromium against a real server: adding an account, a new role, a new
// password, an API key and a display link, each sent wrong. Every error stands next to its field (the
// field is aria-invalid and aria-describedby names the error), in words, and the page shows no id;
// the server's own refusal (a username taken) lands at its field too. Checked with axe-core at a
// phone's, a tablet's and two desk PCs' sizes, with screenshots in test/screenshots/.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, staffSession, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the admin forms browser test: ${missing}.`);

const LIVE = { timeout: 10_000, interval: 50 };
const SIZES = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/;

describe.skipIf(missing !== null)("the admin's account forms say each error at its field", () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-admin-forms-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'admin forms server', readyTimeoutMs: 120_000 });
    await expectStatus(server, 'POST', '/api/doctors', { name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, 201);
    browser = await launchBrowser();
    const cookie = await staffSession(server.url, 'admin');
    const context = await browser.newContext({ viewport: DESK_VIEWPORT });
    await context.addCookies([{ name: 'opd_session', value: cookie, domain: new URL(server.url).hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The error next to `field` (an input, or a group of checkboxes): its text, named by the field. */
  async function errorOf(field: Locator): Promise<string> {
    const described = await field.getAttribute('aria-describedby');
    expect(described, 'the field names its error').toBeTruthy();
    const error = page.locator(`#${described}`);
    expect(await error.count()).toBe(1);
    // Next to it: inside the same label (or group) as the field.
    expect(await field.evaluate((f, id) => (f.closest('label, fieldset') ?? f).querySelector(`#${id}`) !== null, described)).toBe(true);
    return error.innerText();
  }

  async function noIdsAndEverySize(name: string) {
    expect(await page.locator('main').innerText()).not.toMatch(UUID);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      expect(await fitsWidth(page), `${name} at ${size.width} px`).toBe(true);
      expect(await accessibilityProblems(page), `${name} at ${size.width} px`).toEqual([]);
      await screenshot(page, `${name}-${size.width}x${size.height}`);
    }
    await page.setViewportSize(DESK_VIEWPORT);
  }

  it('adding an account: a bad username, a short password, no doctor, then a taken username', async () => {
    await page.goto(`${server.url}/admin?section=accounts`);
    const username = page.locator('input[name="newUsername"]');
    const password = page.locator('input[name="newPassword"]');
    const again = page.locator('input[name="newPasswordAgain"]');
    await username.fill('a b');
    await page.locator('select[name="newRole"]').selectOption('doctor');
    await password.fill('short');
    await again.fill('short');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => username.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(username)).toBe('Username needs 2 to 64 letters, digits or . _ - @, starting with a letter or digit.');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await errorOf(password)).toBe('The password needs at least 10 characters.');
    expect(await again.getAttribute('aria-invalid')).toBeNull();
    const doctors = page.getByRole('group', { name: 'Doctors of this account' });
    expect(await errorOf(doctors)).toBe('Choose the doctor (or doctors) of this account.');
    await noIdsAndEverySize('admin-account-errors');

    // Fixed one by one: each error goes with its own field's change.
    await username.fill('dr.rao');
    expect(await username.getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#new-username-error').count()).toBe(0);
    await password.fill('a long enough pass');
    await again.fill('another long pass');
    await doctors.getByLabel('Dr Asha Rao').check();
    // Choosing a doctor forgets the doctors' error at once, before the next try.
    await expect.poll(() => doctors.getAttribute('aria-describedby'), LIVE).toBeNull();
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => again.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(again)).toBe('The two passwords are not the same.');
    await again.fill('a long enough pass');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => page.getByTestId('accounts-notice').innerText(), LIVE).toContain('Added dr.rao (dr.rao)');

    // The server's refusal of a taken username is said at the username.
    await username.fill('DR.RAO');
    await doctors.getByLabel('Dr Asha Rao').check();
    await password.fill('a long enough pass');
    await again.fill('a long enough pass');
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect.poll(() => username.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(username)).toBe('That username is taken. Choose another.');
    expect(await page.locator('main').innerText()).not.toMatch(UUID);
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('a new role and a new password of an account: the doctor list and the second password at their fields', async () => {
    await page.goto(`${server.url}/admin?section=accounts`);
    await page.getByRole('button', { name: 'Change role of dr.rao' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Dr Asha Rao').uncheck();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    const doctors = dialog.getByRole('group', { name: 'Doctors of this account' });
    await expect.poll(() => doctors.getAttribute('aria-describedby'), LIVE).toBe('role-doctors-error');
    expect(await errorOf(doctors)).toBe('Choose the doctor (or doctors) of this account.');
    expect(await accessibilityProblems(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Reset password of dr.rao' }).click();
    const first = dialog.locator('input[name="resetPassword"]');
    const second = dialog.locator('input[name="resetPasswordAgain"]');
    await first.fill('a brand new pass');
    await second.fill('a brand new pas');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => second.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(second)).toBe('The two passwords are not the same.');
    expect(await first.getAttribute('aria-invalid')).toBeNull();
    await noIdsAndEverySize('admin-password-errors');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('an API key and a display link: no name, no doctors, each at its field', async () => {
    await page.goto(`${server.url}/admin?section=keys`);
    await page.locator('select[name="keyRole"]').selectOption('doctor');
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyName = page.locator('input[name="keyName"]');
    await expect.poll(() => keyName.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(keyName)).toBe('Name is needed: say which system uses the key.');
    expect(await errorOf(page.getByRole('group', { name: 'Doctors of this key' }))).toBe('Choose the doctors of this doctor key.');
    await noIdsAndEverySize('admin-key-errors');
    await keyName.fill('Lab system');
    expect(await keyName.getAttribute('aria-invalid')).toBeNull();

    await page.goto(`${server.url}/admin?section=displays`);
    await page.getByRole('button', { name: 'Create link' }).click();
    const linkName = page.locator('input[name="linkName"]');
    await expect.poll(() => linkName.getAttribute('aria-invalid'), LIVE).toBe('true');
    expect(await errorOf(linkName)).toBe('Name is needed: say where the screen hangs.');
    expect(await errorOf(page.getByRole('group', { name: 'Doctors on this board' }))).toBe('Choose the doctors this screen shows, or all doctors.');
    await noIdsAndEverySize('admin-link-errors');
    await linkName.fill('OPD hall');
    await page.getByRole('group', { name: 'Doctors on this board' }).getByLabel('All doctors').check();
    await expect.poll(() => page.getByRole('group', { name: 'Doctors on this board' }).getAttribute('aria-describedby'), LIVE).toBeNull();
    await page.getByRole('button', { name: 'Create link' }).click();
    await page.getByTestId('new-link').waitFor();
  });
});
