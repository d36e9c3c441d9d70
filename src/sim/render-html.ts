// `--report FILE`: one self-contained HTML page that opens offline. Chart.js (its UMD build) and the
// report's data are inlined; nothing is fetched. The page is a pure function of the report, so the
// same run writes the same bytes.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SOURCES } from '../engine/index.ts';
import { longDate } from '../time/local-time.ts';
import { QUIET_KINDS } from './narrate.ts';
import { clockOf, type CompareReport, type MetricsJson, type Report, type SingleReport } from './report.ts';

/** The UMD build of the chart.js package that is installed (the package does not export this path). */
export function loadChartJs(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Inline script text may not close its own element. */
const inlineScript = (js: string) => js.replace(/<\/(script)/gi, '<\\/$1');
/** JSON inside <script type="application/json">: `<` escaped, so no markup can end the element. */
const inlineJson = (data: unknown) => JSON.stringify(data).replace(/</g, '\\u003c');

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433;background:#f6f7fb}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.15rem;margin:28px 0 8px}
.sub{color:#5b6478;margin:0 0 4px}
.card{background:#fff;border:1px solid #e1e5ee;border-radius:8px;padding:16px;margin:12px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:4px 8px;border-bottom:1px solid #eef0f5;text-align:right;white-space:nowrap}
.facts td{white-space:normal;text-align:left}
th:first-child,td:first-child{text-align:left}
th{background:#f0f2f8}
td.l{text-align:left}
.ok{color:#11804a;font-weight:600}.bad{color:#b3261e;font-weight:600}
ol.timeline{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;padding-left:0;list-style:none}
ol.timeline li{padding:1px 0}ol.timeline .t{color:#5b6478;margin-right:8px}ol.timeline .d{font-weight:600;margin-right:8px}
/* Chart.js sizes a chart to its container when maintainAspectRatio is off: give it a fixed height. */
.chart{position:relative;height:320px}
`;

const CHARTS = `
const report = JSON.parse(document.getElementById('opd-data').textContent);
const SOURCES = ${JSON.stringify(SOURCES)};
const COLOURS = { EMERGENCY: '#d64545', PAID: '#e0a100', FOLLOWUP: '#1b9aaa', ONLINE: '#3b6fd8', WALKIN: '#9b51e0' };
const PALETTE = ['#3b6fd8', '#9db4ec', '#d64545', '#f0a3a3', '#1b9aaa', '#9fd8df'];
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
function chart(id, config) { const el = document.getElementById(id); if (el) new Chart(el, config); }
if (report.mode === 'single') {
  const slots = report.metrics.seats.bySlotTime;
  chart('seats', { type: 'bar', data: { labels: slots.map(s => s.slot), datasets: [
    { type: 'bar', label: 'Seats used (patients seen)', data: slots.map(s => s.used), backgroundColor: '#3b6fd8', stack: 'u' },
    { type: 'bar', label: 'No-shows', data: slots.map(s => s.noShows), backgroundColor: '#f0a3a3', stack: 'u' },
    { type: 'line', label: 'Seats (capacity at slot end)', data: slots.map(s => s.capacity), borderColor: '#1d2433', stepped: 'middle', pointRadius: 0, stack: 'capacity' },
    { type: 'line', label: 'Peak seats held', data: slots.map(s => s.peakOccupied), borderColor: '#e0a100', borderDash: [6, 4], stack: 'peak' } ] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'seats' } } } } });
  const w = report.metrics.waits.bySource;
  chart('waits', { type: 'bar', data: { labels: SOURCES, datasets: [
    { label: 'median (min)', data: SOURCES.map(s => w[s].medianMinutes), backgroundColor: SOURCES.map(s => COLOURS[s]) },
    { label: 'p90 (min)', data: SOURCES.map(s => w[s].p90Minutes), backgroundColor: SOURCES.map(s => COLOURS[s] + '66') } ] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'minutes from check-in to call' } } } } });
  const outcomes = ['COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'];
  const b = report.metrics.tokens.bySource;
  chart('outcomes', { type: 'bar', data: { labels: SOURCES, datasets: outcomes.map((o, i) => (
    { label: o, data: SOURCES.map(s => b[s][o]), backgroundColor: ['#11804a', '#9aa3b5', '#d64545', '#e0a100'][i] })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'tokens' } } } } });
} else {
  const ps = report.policies;
  chart('cmp-waits', { type: 'bar', data: { labels: SOURCES, datasets: ps.map((p, i) => (
    { label: p.label, data: SOURCES.map(s => p.metrics.waits.bySource[s].p90Minutes), backgroundColor: PALETTE[i % PALETTE.length] })) },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'p90 minutes from check-in to call' } } } } });
  chart('cmp-seats', { type: 'line', data: { labels: ps[0].metrics.seats.bySlotTime.map(s => s.slot), datasets: ps.map((p, i) => (
    { label: p.label, data: p.metrics.seats.bySlotTime.map(s => s.used), borderColor: PALETTE[i % PALETTE.length] })) },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'seats used (patients seen)' } } } } });
}
`;

function htmlTable(head: string[], rows: (string | number | null)[][], leftColumns = 1): string {
  const cell = (v: string | number | null, i: number, tag: string) => `<${tag}${i < leftColumns ? ' class="l"' : ''}>${escapeHtml(v === null ? '—' : String(v))}</${tag}>`;
  return `<table><thead><tr>${head.map((h, i) => cell(h, i, 'th')).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v, i) => cell(v, i, 'td')).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

function metricsSections(m: MetricsJson): string {
  const outcomes = htmlTable(
    ['Source', 'Issued', 'Seen', 'Cancelled', 'No-show', 'Expired'],
    SOURCES.map((s) => [s, m.tokens.bySource[s].issued, m.tokens.bySource[s].COMPLETED, m.tokens.bySource[s].CANCELLED, m.tokens.bySource[s].NO_SHOW, m.tokens.bySource[s].EXPIRED]),
  );
  const seats = htmlTable(
    ['Slot', 'Seats', 'Used', 'Utilisation', 'Peak held', 'No-shows'],
    m.seats.bySlotTime.map((s) => [s.slot, s.capacity, s.used, pct(s.utilisation), s.peakOccupied, s.noShows]),
  );
  const waits = htmlTable(
    ['Source', 'Called', 'Median (min)', 'p90 (min)', 'Longest (min)'],
    [...SOURCES.map((s) => [s, m.waits.bySource[s]] as const), ['All', m.waits.all] as const].map(([s, w]) => [s, w.count, w.medianMinutes, w.p90Minutes, w.maxMinutes]),
  );
  const inv = m.invariants;
  const lw = m.longestWait;
  return `
<div class="grid">
<section class="card"><h2>Seats used per slot through the day</h2><div class="chart"><canvas id="seats"></canvas></div></section>
<section class="card"><h2>Waiting time by source</h2><div class="chart"><canvas id="waits"></canvas></div></section>
</div>
<div class="grid">
<section class="card"><h2>Seats per slot (all doctors)</h2>${seats}</section>
<section class="card"><h2>Waiting time: check-in to call</h2>${waits}</section>
</div>
<div class="grid">
<section class="card"><h2>Tokens by source and outcome</h2><div class="chart"><canvas id="outcomes"></canvas></div>${outcomes}</section>
<section class="card"><h2>What moved, and the checks</h2><table class="facts"><tbody>
<tr><td>Bumps</td><td>${m.bumps.total} (${m.bumps.toLaterSlot} to a later slot, ${m.bumps.toWaitlist} to the waitlist)</td></tr>
<tr><td>Promotions from the waitlist</td><td>${m.promotions.total}</td></tr>
<tr><td>Moved by shrinking slots</td><td>${m.moves.total}</td></tr>
<tr><td>Emergency overflow seats</td><td>${m.overflowSeats}</td></tr>
<tr><td>No-shows (staff / clock / skips)</td><td>${m.noShows.byStaff} / ${m.noShows.afterGrace} / ${m.noShows.afterSkips}</td></tr>
<tr><td>Longest wait</td><td>${lw ? escapeHtml(`${lw.token} (${lw.source}) at ${lw.doctor}: ${lw.minutes} min, ${clockOf(lw.checkedInAt)} → ${clockOf(lw.calledAt)}`) : '—'}</td></tr>
<tr><td>Refused commands</td><td>${escapeHtml(Object.entries(m.refusals.byCode).map(([k, v]) => `${k} ${v}`).join(', ') || 'none')}</td></tr>
<tr><td>Invariants</td><td class="${inv.violations === 0 ? 'ok' : 'bad'}">${inv.checks} checks, ${inv.violations} violations</td></tr>
</tbody></table></section>
</div>`;
}

function singleBody(r: SingleReport): string {
  const timeline = r.timeline
    ? `<section class="card"><h2>Timeline</h2><ol class="timeline">${r.timeline
        .filter((e) => !QUIET_KINDS.has(e.kind))
        .map((e) => `<li><span class="t">${e.time}</span><span class="d">${escapeHtml(e.doctor)}</span>${escapeHtml(e.text)}</li>`)
        .join('')}</ol></section>`
    : '';
  const tokens = r.tokens
    ? `<section class="card"><h2>Final tokens</h2>${htmlTable(
        ['Token', 'Source', 'Patient', 'Status', 'Slot', 'Bumps', 'Est. time'],
        r.tokens.map((t) => [t.number, t.source, t.patient, t.status, t.slot, t.bumps, clockOf(t.estimatedAt)]),
        5,
      )}</section>`
    : '';
  return metricsSections(r.metrics) + timeline + tokens;
}

function compareBody(r: CompareReport): string {
  const rows: (string | number | null)[][] = [
    ['Patients seen', ...r.policies.map((p) => p.metrics.tokens.byOutcome.COMPLETED)],
    ['Expired unseated', ...r.policies.map((p) => p.metrics.tokens.byOutcome.EXPIRED)],
    ['Bumps', ...r.policies.map((p) => p.metrics.bumps.total)],
    ['Seat utilisation', ...r.policies.map((p) => pct(p.metrics.seats.overall.utilisation))],
    ...SOURCES.map((s) => [`${s} wait median / p90 (min)`, ...r.policies.map((p) => `${p.metrics.waits.bySource[s].medianMinutes ?? '—'} / ${p.metrics.waits.bySource[s].p90Minutes ?? '—'}`)]),
    ['Longest wait (min)', ...r.policies.map((p) => p.metrics.longestWait?.minutes ?? null)],
    ['Invariant violations', ...r.policies.map((p) => p.metrics.invariants.violations)],
  ];
  return `
<section class="card"><h2>Policies side by side</h2>${htmlTable(['', ...r.policies.map((p) => p.label)], rows)}</section>
<div class="grid">
<section class="card"><h2>p90 wait by source, per policy</h2><div class="chart"><canvas id="cmp-waits"></canvas></div></section>
<section class="card"><h2>Seats used per slot, per policy</h2><div class="chart"><canvas id="cmp-seats"></canvas></div></section>
</div>`;
}

/** The whole page. `chartJs` is the source of chart.umd.js (see loadChartJs). */
export function renderHtml(report: Report, chartJs: string): string {
  const s = report.simulation;
  const title = s.scenario === 'assignment-day' ? 'Assignment day' : `Generated day: ${s.doctors} doctors, seed ${s.seed}`;
  const sub = `${longDate(s.date)} · ${s.timeZone} (UTC${s.utcOffset}) · ${report.mode === 'compare' ? `${report.policies.length} policies compared` : `preemption ${report.policy.preemption}, aging ${report.policy.agingMinutes === null ? 'off' : `${report.policy.agingMinutes} min`}`}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OPD day — ${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>OPD day — ${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(sub)}</p>
<p class="sub">Made by <code>opd simulate</code>. Everything on this page, including the charting library, is inside this file.</p>
${report.mode === 'single' ? singleBody(report) : compareBody(report)}
</main>
<script>${inlineScript(chartJs)}</script>
<script type="application/json" id="opd-data">${inlineJson(report)}</script>
<script>${inlineScript(CHARTS)}</script>
</body>
</html>
`;
}
