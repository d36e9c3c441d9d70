// Debian's Chromium driven by playwright-core, for the web desk's end-to-end tests. CI installs it
// (.ci/run: apt-get install chromium); elsewhere the tests skip, saying so, when it is missing.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
export const WEB_INDEX = fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the pictures that docs/ shows (the slips, the patient's page) are written: test/screenshots/,
 * which git ignores, so that running the tests never rewrites committed files; or the folder that
 * OPD_SCREENSHOTS names (from the repository's root), as `npm run screenshots:docs` does with
 * docs/screenshots when the pictures are to be renewed.
 */
export function docsScreenshotsDir(env: Record<string, string | undefined> = process.env): string {
  return env.OPD_SCREENSHOTS ? resolve(ROOT, env.OPD_SCREENSHOTS) + sep : SCREENSHOTS;
}

/** Why the browser tests cannot run here, or null when they can. In CI they must: see `requireBrowser`. */
export function browserMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (!existsSync(WEB_INDEX)) return `the web desk is not built (npm run build:web)`;
  return null;
}

/** Chromium; `extraArgs` for a test of a kiosk's own flags (the board's autoplay policy). */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root in a sandbox, on a machine whose network is closed: no background connections at all.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export const DESK_VIEWPORT = { width: 1366, height: 768 };
export const BOARD_VIEWPORT = { width: 1920, height: 1080 };

/** A full-page screenshot under test/screenshots/ (kept by CI for a person to look at). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}

/** True when the page is no wider than its viewport: nothing is cut off sideways. */
export async function fitsWidth(page: Page): Promise<boolean> {
  // A string: this file is type-checked for Node, where there is no DOM.
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * What axe-core (the accessibility rules engine) finds wrong with the page against WCAG 2 A and AA:
 * labels, names, contrast, landmarks, ARIA… One line per rule broken, with the elements; [] when none.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not
  // govern (an inline <script> tag would be refused, as it should be).
  await page.evaluate(readFileSync(AXE, 'utf8'));
  // A string: this file is type-checked for Node, where there is no DOM (and no axe global).
  const violations = await page.evaluate<{ id: string; impact: string; help: string; nodes: { target: string[] }[] }[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  );
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// ---------------------------------------------------------------- staff credentials

/** Signs in over HTTP (POST /api/session); the session cookie's value. */
export async function signInOverHttp(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('opd_session='));
  if (!cookie) throw new Error(`sign-in of ${username} set no session cookie`);
  return cookie.slice('opd_session='.length).split(';')[0]!;
}

/**
 * A JSON request of the test itself with a staff session; the answer's status must be `status`.
 * It says `content-type: application/json` even without a body, as the desk does: the cross-site
 * rule refuses a cookie's change without it.
 */
// The tests read answers freely and assert the shapes where it matters (as process-kit's `http`).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function staffRequest(url: string, session: string, method: string, path: string, body?: unknown, status = 200): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { cookie: `opd_session=${session}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}, expected ${status}: ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}
