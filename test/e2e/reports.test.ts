// The Reports section of the admin view, end to end: a real server (`opd serve`, manual clock, SQLite
// file) holding the small day of test/kits/reports/small-day.ts (played over HTTP), the built desk in Debian's
// Chromium. The admin opens Reports for 10 March 2026: the figures and tables show the numbers worked
// out by hand, the charts' legends use the colours of their bars, a table downloads as CSV, and the
// what-if of emergency-only turns the paid patient GM-003 away. Screenshots at 375×812, 768×1024,
// 1366×768 and 1920×1080 land in test/screenshots/, each checked with axe-core and for sideways scrolling.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { playSmallDay } from '../suites/api/routes/reports-suite.ts';
import { startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, browserMissing, DESK_VIEWPORT, fitsWidth, launchBrowser, screenshot, signInOverHttp } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the reports browser tests: ${missing}.`);

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const PASSWORD = 'reports-admin-pass-1';

describe.skipIf(missing !== null)('the Reports section of the admin view', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  /** Screenshots at each size (of the top, or of the element `at` shows): nothing sideways, nothing axe finds. */
  async function everySize(name: string, at?: string) {
    for (const size of VIEWPORTS) {
      await page.setViewportSize(size);
      if (at) await page.getByTestId(at).scrollIntoViewIfNeeded();
      else await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, `${name}-${size.width}x${size.height}`);
      // On failure, the elements that stick out say where to look.
      const wide = (await fitsWidth(page))
        ? []
        : await page.evaluate<string[]>(
            `[...document.querySelectorAll('body *')].filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
          );
      expect(wide, `${name} at ${size.width} px`).toEqual([]);
    }
    expect(await accessibilityProblems(page), name).toEqual([]);
    await page.setViewportSize(DESK_VIEWPORT);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-reports-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual', OPD_ADMIN_PASSWORD: PASSWORD }, { name: 'reports server' });
    const session = await signInOverHttp(server.url, 'admin', PASSWORD);
    await playSmallDay(async (method, url, body) => {
      const res = await fetch(`${server.url}${url}`, { method, headers: { cookie: `opd_session=${session}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: DESK_VIEWPORT, acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname !== '/signin');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows 10 March's figures and tables as worked out by hand", async () => {
    await page.goto(`${server.url}/admin?section=reports&from=2026-03-10`);
    const figures = page.getByTestId('report-figures');
    await expect.poll(() => figures.isVisible(), LIVE).toBe(true);
    const text = await figures.innerText();
    for (const part of ['Tokens\n6', 'Patients seen\n4', 'Did not come\n16.7%', 'Median wait\n15.5 min', '9 in 10 waited at most\n27 min', 'Overtime\n20 min', 'Seats used\n4 of 9']) {
      expect(text).toContain(part);
    }
    const doctors = page.getByTestId('table-doctors');
    const rao = doctors.getByRole('row').filter({ hasText: 'Dr Rao' });
    expect((await rao.getByRole('cell').allInnerTexts()).slice(0, 7)).toEqual(['6', '4', '16.7%', '16.7%', '15.5', '27', '27']);
    const day = page.getByTestId('table-doctor-days').getByRole('row').filter({ hasText: 'Dr Rao' });
    expect(await day.getByRole('cell').allInnerTexts()).toEqual(['Dr Rao', 'General medicine', '09:05', '11:20', '11:00', '20', '4', '4 of 5']);
    expect(await page.content()).not.toMatch(/Chitra|Asha|WALKIN|EXPIRED|NO_SHOW/);
  });

  it('draws the charts with legend colours that are the colours of their bars', async () => {
    // data-legend and data-bars: the colours chart.js used for each legend box and for each series' bars.
    const drawn = async (id: string) => {
      const canvas = page.getByTestId(id);
      return { legend: await canvas.getAttribute('data-legend'), bars: await canvas.getAttribute('data-bars') };
    };
    const outcomes = '#16703a #c25e00 #6b7785 #b3261e #0b5cad'; // seen, did not come, cancelled, got no seat, not finished
    expect(await drawn('chart-outcomes')).toEqual({ legend: outcomes, bars: outcomes });
    expect(await drawn('chart-waits')).toEqual({ legend: '#0b5cad #c25e00', bars: '#0b5cad #c25e00' });
  });

  it('downloads the per-doctor table as CSV with the same numbers', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Download CSV\W+By doctor$/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('opd-doctors-2026-03-10.csv');
    const rows = Papa.parse<string[]>(readFileSync((await file.path())!, 'utf8'), { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(0, 4)).toEqual(['Doctor', 'Tokens', 'Seen', 'Did not come']);
    expect(rows.find((r) => r[0] === 'Dr Rao')!.slice(0, 8)).toEqual(['Dr Rao', '6', '4', '16.7%', '16.7%', '15.5', '27', '27']);
  });

  it('at every size: nothing sideways, nothing axe finds', async () => {
    await everySize('admin-reports');
  });

  it('what if emergency-only on 10 March: GM-003, a paid patient, gets no seat', async () => {
    const panel = page.getByTestId('what-if');
    await panel.getByLabel('Day').fill('2026-03-10');
    await panel.getByLabel('Rule for booked seats').selectOption('emergency-only');
    await panel.getByRole('button', { name: 'Replay the day' }).click();
    const changes = page.getByTestId('what-if-changes');
    await expect.poll(() => changes.isVisible(), LIVE).toBe(true);
    expect(await changes.getByRole('row').nth(1).innerText()).toMatch(/GM-003\s+Dr Rao\s+Paid\s+seen\s+got no seat/);
    const seen = page.getByTestId('what-if-result').getByRole('row').filter({ hasText: 'Patients seen' });
    expect(await seen.getByRole('cell').allInnerTexts()).toEqual(['4', '3', '−1']);
    await everySize('admin-reports-what-if', 'what-if-result');
  });

  it('a range that ends before it starts is refused next to the field', async () => {
    await page.goto(`${server.url}/admin?section=reports&from=2026-03-10`);
    const to = page.locator('input[name="to"]');
    await page.locator('input[name="from"]').fill('2026-03-10');
    await to.fill('2026-03-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => page.locator('#range-error').innerText(), LIVE).toBe('The last day comes before the first.');
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await to.getAttribute('aria-describedby')).toBe('range-error');
  });
});
