// The simulator's HTML report in Chromium: at a phone's, a tablet's and two desktop widths nothing
// spills sideways and every table fits its card at 1366 and 1920 px, axe-core finds nothing, the
// waiting-time chart's legend shows the colours of its bars, and the charts show the tables' numbers.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/engine/index.ts';
import { compareSeeds } from '../../src/sim/compare-seeds.ts';
import { DEFAULT_DAY_INPUTS } from '../../src/sim/generated-day.ts';
import { loadChartJs, renderHtml } from '../../src/sim/render-html.ts';
import { buildCompareReport, buildReport } from '../../src/sim/report.ts';
import { simulate, type SimulateOptions } from '../../src/sim/simulate.ts';
import { accessibilityProblems, CHROMIUM, fitsWidth, launchBrowser, screenshot } from '../kits/browser.ts';

const missing = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`;
if (missing && process.env.CI) throw new Error(`The browser tests must run in CI, but ${missing}.`);

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 768, height: 1024 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

const options = (over: Partial<SimulateOptions>): SimulateOptions => ({
  scenario: 'generated',
  doctors: 3,
  seed: 42,
  inputs: DEFAULT_DAY_INPUTS,
  policy: DEFAULT_POLICY,
  compare: false,
  timeline: false,
  ...over,
});

/** Tables wider than the card that holds them, at this width: [] when all fit. */
async function overflowingTables(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(
    `[...document.querySelectorAll('section.card')].filter((card) => card.scrollWidth > card.clientWidth || [...card.querySelectorAll('.scroll')].some((s) => s.scrollWidth > s.clientWidth)).map((card) => card.querySelector('h2')?.textContent ?? card.textContent.slice(0, 60))`,
  );
}

describe.skipIf(missing !== null)('the simulator HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  const chartJs = loadChartJs();

  beforeAll(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'opd-sim-html-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string, viewport: { width: number; height: number }): Promise<Page> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('document.querySelectorAll("canvas").length === 0 || Object.keys(Chart.instances).length > 0');
    expect(errors).toEqual([]);
    return page;
  }

  it('a comparison: fits its cards at every width, is accessible, and its charts show the table', async () => {
    const o = options({ compare: true, doctors: 2 });
    const html = renderHtml(buildCompareReport(o, compareSeeds(o, 3), 'fair-walk-ins'), chartJs);
    for (const viewport of VIEWPORTS) {
      const page = await open('compare', html, viewport);
      const label = `${viewport.width}×${viewport.height}`;
      expect(await fitsWidth(page), label).toBe(true);
      if (viewport.width >= 1366) expect(await overflowingTables(page), label).toEqual([]);
      expect(await accessibilityProblems(page), label).toEqual([]);
      await screenshot(page, `sim-compare-${viewport.width}`);
      if (viewport.width === 1366) {
        // The walk-in bars of the first policy are the walk-in row of its column in the table.
        const fromChart = await page.evaluate<number>(`Chart.getChart('cmp-waits').data.datasets[0].data[4]`);
        const fromTable = await page.evaluate<string>(
          `[...document.querySelectorAll('table.compare tbody tr')].find((r) => r.querySelector('th').textContent.startsWith('Walk-ins, 9 in 10')).querySelectorAll('td')[0].textContent`,
        );
        expect(fromTable.startsWith(String(Math.round(fromChart)))).toBe(true);
      }
      await page.close();
    }
  });

  it('one day of 20 doctors: a table by department, legends in the colours of the bars, nothing spills', async () => {
    const html = renderHtml(buildReport(simulate(options({ doctors: 20 }))), chartJs);
    for (const viewport of VIEWPORTS) {
      const page = await open('day', html, viewport);
      const label = `${viewport.width}×${viewport.height}`;
      expect(await fitsWidth(page), label).toBe(true);
      if (viewport.width >= 1366) expect(await overflowingTables(page), label).toEqual([]);
      expect(await accessibilityProblems(page), label).toEqual([]);
      await screenshot(page, `sim-day-${viewport.width}`);
      await page.close();
    }
    const page = await open('day', html, { width: 1366, height: 768 });
    expect(await page.getByRole('heading', { name: 'By department' }).count()).toBe(1);
    // Each legend swatch is the colour of its series' bars, and every bar of a series has that colour.
    const legends = await page.evaluate<{ swatch: string; bars: unknown }[][]>(
      `['waits', 'outcomes'].map((id) => { const c = Chart.getChart(id); return c.legend.legendItems.map((item) => ({ swatch: item.fillStyle, bars: c.data.datasets[item.datasetIndex].backgroundColor })); })`,
    );
    for (const chart of legends) {
      for (const { swatch, bars } of chart) expect(bars).toBe(swatch);
    }
    // The chart's walk-in p90 is the table's.
    const chartP90 = await page.evaluate<number | null>(`Chart.getChart('waits').data.datasets[1].data[4]`);
    const tableP90 = await page.evaluate<string>(
      `[...document.querySelectorAll('table')].find((t) => t.textContent.includes('9 in 10 within (p90, min)')).querySelectorAll('tbody tr')[4].querySelectorAll('td')[3].textContent`,
    );
    expect(tableP90).toBe(String(chartP90));
    await page.close();
  });
});
