// The Content-Security-Policy in a real browser: /docs (swagger-ui) and the web desk render under it
// with no violation reported, /docs can authorize with a bearer, and no page can be framed.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../kits/api/test-kit.ts';
import { WEB_ROOT } from '../../src/api/web.ts';
import { browserMissing, launchBrowser } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);

describe.skipIf(missing !== null)('the Content-Security-Policy in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await harness({ webRoot: WEB_ROOT });
    base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Every CSP violation and console error of the page, as lines. */
  async function watched(page: Page): Promise<string[]> {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    // A string: this file is type-checked for Node, where there is no DOM.
    await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));" });
    return problems;
  }

  it('/docs renders the reference, offers Authorize with a bearer, and nothing breaks the policy', async () => {
    const page = await browser.newPage();
    const problems = await watched(page);
    await page.goto(`${base}/docs`);
    await expect.poll(() => page.locator('.swagger-ui .info .title').innerText(), { timeout: 10_000 }).toContain('OPD token desk');
    await page.getByRole('button', { name: /Authorize/ }).first().click();
    await expect.poll(() => page.locator('.auth-container').allInnerTexts(), { timeout: 5_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/bearer/)]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the desk renders under it; a page of another site cannot frame /admin', async () => {
    const page = await browser.newPage();
    const problems = await watched(page);
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('header').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // Signed out, its API calls are refused 401 (console errors of the failed fetches are expected): no CSP violation.
    expect(problems.filter((p) => /CSP|Content Security Policy/i.test(p))).toEqual([]);

    const framing = await browser.newPage();
    const framed: string[] = [];
    framing.on('console', (m) => framed.push(m.text()));
    await framing.setContent(`<iframe src="${base}/admin"></iframe>`);
    await expect.poll(() => framed.join('\n'), { timeout: 5_000 }).toMatch(/frame-ancestors|Refused to display/);
    const child = framing.frames().find((f) => f !== framing.mainFrame());
    expect(await child?.evaluate<string>("document.body ? document.body.innerHTML : ''").catch(() => '')).not.toMatch(/<div id="root">/);
    await page.close();
    await framing.close();
  });
});
