// The waiting-room board that calls, end to end: a real server (`opd serve`, manual clock, SQLite file)
// with 24 doctors, each with a room, one of them running late, opened through a display link that
// carries the board's languages, in Debian's Chromium. The browser's speech synthesis is replaced in
// the page by a recorder (the machine has no voices); the chime is counted by its oscillators. In
// order: the board lays 24 doctors on pages of six that turn by themselves, nothing cut off and no
// number broken at 1920×1080 and 1366×768; every card has its room, the late doctor its banner; a call
// chimes, says the number and the room in English and in Hindi, and stays large with its room; a
// machine without voices only chimes; Hindi text renders in the shipped Devanagari font (not boxes);
// a kiosk started with the autoplay flag needs no "Enable sound" tap.
// Screenshots land in test/screenshots/ (docs/images/board-24-doctors.png is one of them).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE } from '../kits/patience.ts';
import { expectStatus, startServer, type ServerProcess } from '../kits/process-kit.ts';
import { accessibilityProblems, BOARD_VIEWPORT, browserMissing, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);
if (missing) console.warn(`Skipping the board's browser tests: ${missing}.`);

const DAY = '2026-03-10';
const at = (hhmm: string) => `${DAY}T${hhmm}:00+05:30`;

/** 24 doctors: code, name, department, room (a bare number, "Room n", or a name). */
const DOCTORS: [string, string, string, string][] = [
  ['GM', 'Dr Asha Rao', 'General Medicine', '3'],
  ['PD', 'Dr Vikram Singh', 'Paediatrics', 'Room 5'],
  ['ORTH', 'Dr Venkataraman Subramaniam', 'Orthopaedics', '7'],
  ['EN', 'Dr Farah Khan', 'ENT', '8'],
  ['OP', 'Dr Meenakshi Iyer', 'Ophthalmology', '9'],
  ['DE', 'Dr Rohan Mehta', 'Dermatology', '10'],
  ['CA', 'Dr Sunil Nair', 'Cardiology', 'OPD Block B-12'],
  ['NE', 'Dr Kavya Reddy', 'Neurology', '12'],
  ['GY', 'Dr Priya Sharma', 'Obstetrics and Gynaecology', '14'],
  ['PS', 'Dr Arjun Das', 'Psychiatry', '15'],
  ['UR', 'Dr Imran Qureshi', 'Urology', '16'],
  ['GS', 'Dr Lakshmi Menon', 'General Surgery', '17'],
  ['PU', 'Dr Harpreet Kaur', 'Pulmonology', '18'],
  ['EC', 'Dr Anil Kulkarni', 'Endocrinology', '19'],
  ['GA', 'Dr Deepa Pillai', 'Gastroenterology', '20'],
  ['NP', 'Dr Sanjay Gupta', 'Nephrology', '21'],
  ['ON', 'Dr Neha Joshi', 'Oncology', '22'],
  ['RH', 'Dr Thomas Mathew', 'Rheumatology', '23'],
  ['DN', 'Dr Ritu Agarwal', 'Dentistry', '24'],
  ['PH', 'Dr Manoj Tiwari', 'Physiotherapy', '25'],
  ['ID', 'Dr Zoya Siddiqui', 'Infectious Diseases', '26'],
  ['GE', 'Dr Gopal Krishnan', 'Geriatrics', '27'],
  ['HA', 'Dr Anjali Desai', 'Haematology', '28'],
  ['PALL', 'Dr Sameer Bhat', 'Palliative Care', '29'],
];

/**
 * In the page, before its scripts: speech synthesis that records what it is asked to say (with the
 * voices given), and a count of the chime's oscillators.
 */
function recorder(voices: { name: string; lang: string }[]): string {
  return `
    window.__spoken = [];
    window.__oscillators = 0;
    const voices = ${JSON.stringify(voices)}.map((v) => ({ ...v, default: false, localService: true, voiceURI: v.name }));
    class Utterance {
      constructor(text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; this.onend = null; this.onerror = null; }
    }
    window.SpeechSynthesisUtterance = Utterance;
    Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
      speak(u) { if (u.text) window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name }); setTimeout(() => u.onend && u.onend(), 20); },
      getVoices() { return voices; }, cancel() {}, pause() {}, resume() {},
      addEventListener() {}, removeEventListener() {}, speaking: false, pending: false, paused: false,
    } });
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () { window.__oscillators++; return create.call(this); };
  `;
}

const VOICES = [
  { name: 'English (India)', lang: 'en-IN' },
  { name: 'Hindi (India)', lang: 'hi-IN' },
];

/** Every number element on the page that is broken over two lines, or whose box is cut off. */
async function brokenNumbers(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('.board-called, .board-number, .board-latest-number')].flatMap((el) => {
    const lines = el.getClientRects().length;
    const { height } = el.getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(el).fontSize) * 1.3;
    return lines !== 1 || height > lineHeight ? [el.textContent + ': ' + lines + ' boxes, ' + Math.round(height) + ' px high'] : [];
  })`);
}

/** Every card, the calls panel or the page itself that is cut off: content beyond its box or the screen. */
async function cutOff(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('.board-card, .board-calls')) {
      const name = el.getAttribute('aria-label') || el.className;
      if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) out.push(name + ': content ' + el.scrollWidth + 'x' + el.scrollHeight + ' in ' + el.clientWidth + 'x' + el.clientHeight);
      const r = el.getBoundingClientRect();
      if (r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) out.push(name + ': ends at ' + Math.round(r.right) + ',' + Math.round(r.bottom));
    }
    if (document.documentElement.scrollHeight > window.innerHeight + 1) out.push('the page scrolls: ' + document.documentElement.scrollHeight);
    return out;
  })()`);
}

const cardCodes = (page: Page) => page.locator('section.board-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-doctor')));
const pageLabel = (page: Page) => page.getByTestId('board-page').innerText();

describe.skipIf(missing !== null)('the waiting-room board that calls', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let displayPath: string;
  const ids = new Map<string, string>();
  const tokensOf = new Map<string, { id: string; number: string }[]>();

  const issue = async (code: string) => {
    const t = await expectStatus(server, 'POST', '/api/tokens', { doctorId: ids.get(code), source: 'WALKIN', patient: { name: `Patient of ${code}` } }, 201);
    tokensOf.set(code, [...(tokensOf.get(code) ?? []), t]);
    return t as { id: string; number: string };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-e2e-board-'));
    server = await startServer({ OPD_DATA_DIR: dir, OPD_CLOCK: 'manual' }, { name: 'board server' });
    await expectStatus(server, 'PUT', '/api/clock', { now: at('08:30') }, 200);
    for (const [code, name, department, room] of DOCTORS) {
      const d = await expectStatus(server, 'POST', '/api/doctors', { name, department, code, room }, 201);
      ids.set(code, d.id);
      await expectStatus(server, 'POST', '/api/slots', { doctorId: d.id, start: at('09:00'), end: at('10:00'), capacity: 8 }, 201);
      await expectStatus(server, 'POST', '/api/slots', { doctorId: d.id, start: at('10:00'), end: at('11:00'), capacity: 8 }, 201);
    }
    await expectStatus(server, 'PUT', '/api/clock', { now: at('09:30') }, 200);
    // Everyone has a token with the doctor (the first) and three waiting, two of them checked in. Dr
    // Rao is with GM-005; nobody of hers is checked in yet (GM-006 will be, and called).
    for (const [code] of DOCTORS) {
      for (let i = 0; i < (code === 'GM' ? 6 : 4); i++) await issue(code);
      const first = tokensOf.get(code)![code === 'GM' ? 4 : 0]!;
      await expectStatus(server, 'POST', `/api/tokens/${first.id}/check-in`, undefined, 200);
      await expectStatus(server, 'POST', `/api/doctors/${ids.get(code)}/call-next`, undefined, 200);
      if (code === 'GM') continue;
      for (const t of tokensOf.get(code)!.slice(2, 4)) await expectStatus(server, 'POST', `/api/tokens/${t.id}/check-in`, undefined, 200);
    }
    // Dr Rao reports 40 minutes late at 09:30: late until 10:10.
    await expectStatus(server, 'POST', `/api/doctors/${ids.get('GM')}/delay`, { minutes: 40 }, 200);
    displayPath = (await expectStatus(server, 'POST', '/api/display-links', { name: 'Main hall', doctorIds: 'all' }, 201)).path;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The board through the display link, in a fresh browser context with the recorder installed. */
  async function openBoard(query: string, viewport = BOARD_VIEWPORT, voices = VOICES, on: Browser = browser): Promise<Page> {
    const context = await on.newContext({ viewport });
    await context.addInitScript({ content: recorder(voices) });
    const page = await context.newPage();
    await page.goto(`${server.url}${displayPath}${query}`);
    await expect.poll(() => page.getByTestId('feed-state').innerText(), LIVE).toBe('Live');
    await expect.poll(() => page.locator('section.board-card').count(), LIVE).toBeGreaterThan(0);
    return page;
  }

  it('11: 24 doctors on pages of six that turn by themselves; rooms, the late banner; nothing cut off, no number broken, at 1920×1080 and 1366×768', async () => {
    const page = await openBoard('?turn=5');
    expect(new URL(page.url()).search).toBe('?turn=5');
    await page.evaluate('document.fonts.ready');
    await screenshot(page, 'board-24-doctors');
    expect(await accessibilityProblems(page)).toEqual([]);
    const rooms = new Map(DOCTORS.map(([code, , , room]) => [code, /^[0-9]/.test(room) ? `Room ${room}` : room]));
    const seen: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      await expect.poll(() => pageLabel(page), { timeout: 9_000, interval: 100 }).toBe(`Page ${n} of 4`);
      const codes = await cardCodes(page);
      expect(codes, `page ${n}`).toHaveLength(6);
      seen.push(...(codes as string[]));
      expect(await cutOff(page), `page ${n}`).toEqual([]);
      expect(await brokenNumbers(page), `page ${n}`).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      // every card: its room, and a token with the doctor
      const cards = await page.locator('section.board-card').evaluateAll((els) =>
        els.map((c) => [c.getAttribute('data-doctor'), c.querySelector('[data-testid="board-room"]')?.textContent, c.querySelector('[data-testid="board-serving"]')?.textContent]),
      );
      for (const [code, room, serving] of cards) {
        expect(room, code!).toBe(rooms.get(code!));
        expect(serving, code!).toBe(code === 'GM' ? 'GM-005' : `${code}-001`);
      }
      if (codes.includes('GM')) {
        expect(await page.locator('section[data-doctor="GM"]').getByTestId('board-late').innerText()).toBe('Running 40 min late, until 10:10');
        expect(await page.getByTestId('board-late').count()).toBe(1);
      } else {
        expect(await page.getByTestId('board-late').count()).toBe(0);
      }
    }
    expect([...seen].sort()).toEqual(DOCTORS.map(([code]) => code).sort());
    // and round again
    await expect.poll(() => pageLabel(page), { timeout: 9_000, interval: 100 }).toBe('Page 1 of 4');

    await page.setViewportSize({ width: 1366, height: 768 });
    await expect.poll(() => cutOff(page), LIVE).toEqual([]);
    expect(await brokenNumbers(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'board-24-doctors-1366x768');
    await page.context().close();
  });

  it('11: with both languages each page shows in English, then in Hindi, then the next page', async () => {
    const page = await openBoard('?lang=en,hi&turn=5');
    const title = () => page.locator('h1').innerText();
    expect(await title()).toBe('Outpatient department');
    expect(await pageLabel(page)).toBe('Page 1 of 4');
    const first = await cardCodes(page);
    await expect.poll(title, { timeout: 9_000, interval: 100 }).toBe('ओपीडी – बाह्य रोगी विभाग');
    expect(await pageLabel(page)).toBe('पृष्ठ 1 / 4');
    expect(await cardCodes(page)).toEqual(first);
    expect(await page.getByRole('heading', { name: 'अभी बुलाया गया' }).count()).toBe(1);
    expect(await cutOff(page)).toEqual([]);
    await expect.poll(title, { timeout: 9_000, interval: 100 }).toBe('Outpatient department');
    expect(await pageLabel(page)).toBe('Page 2 of 4');
    expect(await cardCodes(page)).not.toEqual(first);
    await page.context().close();
  });

  it('11: on a call it chimes, says the number and the room in English and Hindi, and shows the call large with its room', async () => {
    const page = await openBoard('?lang=en,hi&turn=60');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en,hi');
    // Browsers hold sound back until a tap: the board asks for one, once.
    const enable = page.getByRole('button', { name: 'Enable sound' });
    if ((await enable.count()) > 0) {
      await enable.click();
      await expect.poll(() => enable.count(), LIVE).toBe(0);
    }
    const spokenBefore = await page.evaluate<unknown[]>('window.__spoken');
    expect(spokenBefore).toEqual([]);

    const [gm5, gm6] = tokensOf.get('GM')!.slice(4);
    expect(gm6!.number).toBe('GM-006');
    await expectStatus(server, 'POST', `/api/tokens/${gm6!.id}/check-in`, undefined, 200);
    await expectStatus(server, 'POST', `/api/tokens/${gm5!.id}/complete`, undefined, 200);
    expect((await expectStatus(server, 'POST', `/api/doctors/${ids.get('GM')}/call-next`, undefined, 200)).number).toBe('GM-006');

    await expect.poll(() => page.evaluate('window.__spoken'), { timeout: 10_000, interval: 100 }).toEqual([
      { text: 'Token G M zero zero six, room 3', lang: 'en-IN', voice: 'English (India)' },
      { text: 'टोकन जी एम छह, कमरा तीन', lang: 'hi-IN', voice: 'Hindi (India)' },
    ]);
    expect(await page.evaluate<number>('window.__oscillators')).toBe(2);
    const latest = page.getByTestId('board-latest');
    expect(await latest.locator('.board-latest-number').innerText()).toBe('GM-006');
    expect(await latest.innerText()).toMatch(/Room 3|कमरा 3/);
    expect(await latest.getAttribute('class')).toContain('flash');
    // the calls before it stay listed, and nothing is cut off
    expect(await page.getByTestId('board-before').locator('li').count()).toBeGreaterThan(0);
    expect(await cutOff(page)).toEqual([]);
    expect(await brokenNumbers(page)).toEqual([]);
    await screenshot(page, 'board-call');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('11: on a machine without voices a call only chimes', async () => {
    const page = await openBoard('?lang=en,hi&turn=60', BOARD_VIEWPORT, []);
    const enable = page.getByRole('button', { name: 'Enable sound' });
    if ((await enable.count()) > 0) await enable.click();
    const [, , , pd4] = tokensOf.get('PD')!;
    await expectStatus(server, 'POST', `/api/tokens/${tokensOf.get('PD')![0]!.id}/complete`, undefined, 200);
    await expectStatus(server, 'POST', `/api/tokens/${pd4!.id}/check-in`, undefined, 200).catch(() => undefined);
    const called = await expectStatus(server, 'POST', `/api/doctors/${ids.get('PD')}/call-next`, undefined, 200);
    expect(called.number).toBe('PD-003');
    await expect.poll(() => page.getByTestId('board-latest').locator('.board-latest-number').innerText(), LIVE).toBe('PD-003');
    expect(await page.getByTestId('board-latest').innerText()).toContain('Room 5');
    await expect.poll(() => page.evaluate<number>('window.__oscillators'), LIVE).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the chime, when the voice would start
    expect(await page.evaluate('window.__spoken')).toEqual([]);
    await page.context().close();
  });

  it('11: a Hindi board renders Devanagari in the shipped font (not boxes), at every size, axe-clean', async () => {
    const page = await openBoard('?lang=hi', BOARD_VIEWPORT);
    await expect.poll(() => page.locator('h1').innerText(), LIVE).toBe('ओपीडी – बाह्य रोगी विभाग');
    expect(await page.locator('.board').getAttribute('lang')).toBe('hi');
    await page.evaluate('document.fonts.ready');
    const gm = page.locator('section[data-doctor="GM"]');
    if ((await gm.count()) > 0) expect(await gm.getByTestId('board-late').innerText()).toBe('डॉक्टर 40 मिनट देर से हैं, 10:10 तक');
    expect(await page.getByTestId('board-room').first().innerText()).toMatch(/^कमरा \d+$/);
    // The shipped face is loaded, and glyphs are drawn: two different letters give two different
    // pictures, where two characters no font has give the same box (the control).
    const faces = await page.evaluate<string[]>(`[...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family + ' ' + f.weight)`);
    expect(faces).toEqual(expect.arrayContaining(['Noto Sans Devanagari 400', 'Noto Sans Devanagari 700']));
    const pictures = await page.evaluate<{ ka: string; kha: string; box1: string; box2: string; widthHi: number; widthBoxes: number }>(`(() => {
      const draw = (text) => {
        const canvas = document.createElement('canvas');
        canvas.width = 120; canvas.height = 120;
        const g = canvas.getContext('2d');
        g.font = '80px "Noto Sans Devanagari", system-ui';
        g.fillStyle = '#000';
        g.fillText(text, 10, 90);
        return canvas.toDataURL();
      };
      const width = (text) => {
        const span = document.createElement('span');
        span.style.font = '40px "Noto Sans Devanagari", system-ui';
        span.textContent = text;
        document.body.append(span);
        const w = span.getBoundingClientRect().width;
        span.remove();
        return w;
      };
      return { ka: draw('क'), kha: draw('ख'), box1: draw('\u{E000}'), box2: draw('\u{E001}'), widthHi: width('टोकन'), widthBoxes: width('\u{E000}\u{E001}\u{E002}\u{E003}') };
    })()`);
    expect(pictures.box1).toBe(pictures.box2);
    expect(pictures.ka).not.toBe(pictures.kha);
    expect(pictures.ka).not.toBe(pictures.box1);
    // टोकन is three glyph clusters (ट, ो joined to क, न): narrower than four boxes
    expect(pictures.widthHi).toBeLessThan(pictures.widthBoxes * 0.9);
    expect(await cutOff(page)).toEqual([]);
    expect(await brokenNumbers(page)).toEqual([]);
    await screenshot(page, 'board-hindi');
    expect(await accessibilityProblems(page)).toEqual([]);
    for (const size of [
      { width: 375, height: 812 },
      { width: 768, height: 1024 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await fitsWidth(page), `${size.width} px`).toBe(true);
      expect(await brokenNumbers(page), `${size.width} px`).toEqual([]);
      // a wall screen: nothing cut off (a phone or a tablet scrolls down instead)
      if (size.width >= 1000) await expect.poll(() => cutOff(page), LIVE).toEqual([]);
      await screenshot(page, `board-hindi-${size.width}x${size.height}`);
      expect(await accessibilityProblems(page), `${size.width} px`).toEqual([]);
    }
    await page.context().close();
  });

  it('11: a kiosk started with --autoplay-policy=no-user-gesture-required calls aloud without a tap', async () => {
    const kiosk = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    try {
      const page = await openBoard('?lang=hi', BOARD_VIEWPORT, VOICES, kiosk);
      expect(await page.getByRole('button', { name: 'आवाज़ चालू करें' }).count()).toBe(0);
      const ne = tokensOf.get('NE')!;
      await expectStatus(server, 'POST', `/api/tokens/${ne[0]!.id}/complete`, undefined, 200);
      expect((await expectStatus(server, 'POST', `/api/doctors/${ids.get('NE')}/call-next`, undefined, 200)).number).toBe('NE-003');
      await expect.poll(() => page.evaluate('window.__spoken'), { timeout: 10_000, interval: 100 }).toEqual([
        { text: 'टोकन एन ई तीन, कमरा बारह', lang: 'hi-IN', voice: 'Hindi (India)' },
      ]);
      expect(await page.evaluate<number>('window.__oscillators')).toBe(2);
    } finally {
      await kiosk.close();
    }
  });
});

