import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../engine/index.ts';
import { DEFAULT_DAY_INPUTS } from './generated-day.ts';
import { compareSeeds } from './compare-seeds.ts';
import { buildCompareReport, buildReport, type Report } from './report.ts';
import { loadChartJs, renderHtml } from './render-html.ts';
import { simulate, type SimulateOptions } from './simulate.ts';

const options = (over: Partial<SimulateOptions>): SimulateOptions => ({
  scenario: 'generated',
  doctors: 2,
  seed: 5,
  inputs: DEFAULT_DAY_INPUTS,
  policy: DEFAULT_POLICY,
  compare: false,
  timeline: false,
  ...over,
});

/** Runs the page's own chart script (the last <script>) against a stand-in Chart and document. */
function drawCharts(html: string) {
  const scripts = [...html.matchAll(/<script(?: type="application\/json" id="opd-data")?>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const [, data, charts] = scripts;
  const made: { id: string; config: { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } }[] = [];
  class Chart {
    static defaults: Record<string, unknown> = {};
    constructor(el: { id: string }, config: (typeof made)[number]['config']) {
      made.push({ id: el.id, config });
    }
  }
  const document = { getElementById: (id: string) => (id === 'opd-data' ? { textContent: data } : html.includes(`<canvas id="${id}"`) ? { id } : null) };
  runInNewContext(charts!, { Chart, document, JSON });
  return made;
}

describe('the HTML report', () => {
  const chartJs = loadChartJs();

  it('inlines the chart library and the data, and draws its charts from that data', () => {
    const report = buildReport(simulate(options({})));
    const html = renderHtml(report, chartJs);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.includes(chartJs.slice(-500))).toBe(true);
    const charts = drawCharts(html);
    expect(charts.map((c) => c.id)).toEqual(['seats', 'waits', 'outcomes']);
    const m = (report as Extract<Report, { mode: 'single' }>).metrics;
    const seats = charts[0]!.config.data;
    expect(seats.labels).toEqual(m.seats.bySlotTime.map((s) => s.slot));
    expect(seats.datasets[0]!.data).toEqual(m.seats.bySlotTime.map((s) => s.used));
    expect(charts[1]!.config.data.datasets[1]!.data).toEqual(['EMERGENCY', 'PAID', 'FOLLOWUP', 'ONLINE', 'WALKIN'].map((s) => m.waits.bySource[s as 'PAID'].p90Minutes));
  });

  it('draws one series per policy for a comparison, and the intervals of the goal', () => {
    const o = options({ compare: true, doctors: 1 });
    const report = buildCompareReport(o, compareSeeds(o, 3), 'fewest-expired');
    const charts = drawCharts(renderHtml(report, chartJs));
    expect(charts.map((c) => c.id)).toEqual(['cmp-waits', 'cmp-goal']);
    expect(charts[0]!.config.data.datasets.map((d) => d.label)).toEqual(report.policies.map((p) => p.label));
    expect(charts[0]!.config.data.datasets[0]!.data[4]).toBe(report.policies[0]!.results.walkinP90.mean);
    const goal = charts[1]!.config.data.datasets[0]!.data as unknown as [number, number][];
    expect(goal).toEqual(report.policies.map((p) => [p.results.expired.mean! - p.results.expired.halfWidth!, p.results.expired.mean! + p.results.expired.halfWidth!]));
  });

  it('colours each series of the waiting-time chart with one colour, so its legend matches its bars', () => {
    const charts = drawCharts(renderHtml(buildReport(simulate(options({}))), chartJs));
    const waits = charts.find((c) => c.id === 'waits')!.config.data.datasets as unknown as { backgroundColor: unknown }[];
    for (const d of waits) expect(typeof d.backgroundColor).toBe('string');
  });

  it('speaks to administrators: plain words for sources and outcomes, engine counters folded away', () => {
    const html = renderHtml(buildReport(simulate(options({ scenario: 'assignment-day', timeline: true }))), chartJs);
    const visible = html.slice(0, html.indexOf('<summary>For developers</summary>'));
    const text = visible.replace(/<script[\s\S]*?<\/script>/g, '');
    for (const word of ['WALKIN', 'NO_SHOW', 'COMPLETED', 'EXPIRED', 'QUEUE_EMPTY', 'Invariants']) expect(text, word).not.toContain(word);
    expect(text).toContain('Walk-in');
    expect(html).toContain('<summary>For developers</summary>');
  });

  it('escapes what it prints, so patient names cannot inject markup', () => {
    const report = buildReport(simulate(options({ scenario: 'assignment-day', timeline: true })));
    const evil = structuredClone(report) as Extract<Report, { mode: 'single' }>;
    evil.tokens![0]!.patient = '<img src=x onerror=alert(1)></script>';
    const html = renderHtml(evil, chartJs);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    // Inside the JSON island `<` is escaped too; the data still parses back to the same object.
    const data = /id="opd-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(evil);
  });

  it('is the same page for the same run', () => {
    const a = renderHtml(buildReport(simulate(options({}))), chartJs);
    const b = renderHtml(buildReport(simulate(options({}))), chartJs);
    expect(b === a).toBe(true);
  });
});
