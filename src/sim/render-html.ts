// `--report FILE`: one self-contained HTML page that opens offline. Chart.js (its UMD build) and the
// report's data are inlined; nothing is fetched. The page is a pure function of the report, so the
// same run writes the same bytes.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SOURCES } from '../engine/index.ts';
import { longDate } from '../time/local-time.ts';
import { QUIET_KINDS } from './narrate.ts';
import { clockOf, type MetricsJson, type Report, type SingleReport } from './report.ts';
import { compareBody } from './render-html-compare.ts';
import { SOURCE_WORDS, STATUS_WORDS } from './words.ts';

/** The UMD build of the chart.js package that is installed (the package does not export this path). */
export function loadChartJs(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:12px}
.grid>.card{min-width:0}
@media (max-width:600px){main{padding:12px}.card{padding:10px}}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:4px 8px;border-bottom:1px solid #eef0f5;text-align:right;white-space:nowrap}
th{white-space:normal;vertical-align:bottom}
.scroll{overflow-x:auto}
table.compare{font-size:.85rem}table.compare th[scope=col]{min-width:8.5em}table.compare th[scope=row]{white-space:normal;min-width:13em;font-weight:600}
.up-good,.down-good{color:#11804a;font-weight:600}.up-bad,.down-bad{color:#b3261e;font-weight:600}
.note{color:#5b6478;font-size:.85rem;margin:8px 0 0}
.recommendation{font-size:1.05rem;font-weight:600;border-left:4px solid #3b6fd8}
details summary{cursor:pointer;font-weight:600}
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
const WORDS = ${JSON.stringify(SOURCE_WORDS)};
const PALETTE = ['#3b6fd8', '#9db4ec', '#d64545', '#f0a3a3', '#1b9aaa', '#9fd8df'];
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
function chart(id, config) { const el = document.getElementById(id); if (el) new Chart(el, config); }
if (report.mode === 'single') {
  const slots = report.metrics.seats.bySlotTime;
  chart('seats', { type: 'bar', data: { labels: slots.map(s => s.slot), datasets: [
    { type: 'bar', label: 'Seats used (patients seen)', data: slots.map(s => s.used), backgroundColor: '#3b6fd8', stack: 'u' },
    { type: 'bar', label: 'Did not come', data: slots.map(s => s.noShows), backgroundColor: '#f0a3a3', stack: 'u' },
    { type: 'line', label: 'Seats (capacity at slot end)', data: slots.map(s => s.capacity), borderColor: '#1d2433', stepped: 'middle', pointRadius: 0, stack: 'capacity' },
    { type: 'line', label: 'Most seats held at once', data: slots.map(s => s.peakOccupied), borderColor: '#e0a100', borderDash: [6, 4], stack: 'peak' } ] },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'seats' } } } } });
  const w = report.metrics.waits.bySource;
  // One colour per series, so that the legend's swatches are the colours of the bars.
  chart('waits', { type: 'bar', data: { labels: SOURCES.map(s => WORDS[s]), datasets: [
    { label: 'typical wait (median, min)', data: SOURCES.map(s => w[s].medianMinutes), backgroundColor: '#3b6fd8' },
    { label: '9 in 10 called within (p90, min)', data: SOURCES.map(s => w[s].p90Minutes), backgroundColor: '#9db4ec' } ] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'minutes from check-in to call' } } } } });
  const outcomes = ['COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'];
  const outcomeWords = ['seen', 'cancelled', 'did not come', 'never got a seat'];
  const b = report.metrics.tokens.bySource;
  chart('outcomes', { type: 'bar', data: { labels: SOURCES.map(s => WORDS[s]), datasets: outcomes.map((o, i) => (
    { label: outcomeWords[i], data: SOURCES.map(s => b[s][o]), backgroundColor: ['#11804a', '#9aa3b5', '#d64545', '#e0a100'][i] })) },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'tokens' } } } } });
} else {
  const ps = report.policies;
  const waitKeys = ['emergencyP90', 'paidP90', 'followupP90', 'onlineP90', 'walkinP90'];
  chart('cmp-waits', { type: 'bar', data: { labels: SOURCES.map(s => WORDS[s]), datasets: ps.map((p, i) => (
    { label: p.label, data: waitKeys.map(k => p.results[k].mean), backgroundColor: PALETTE[i % PALETTE.length] })) },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: '9 in 10 called within (min), average of the days' } } } } });
  const goal = report.metrics.find(m => m.key === report.goalMetric);
  // Floating bars: each policy's 95% interval of the goal's number, from low to high.
  chart('cmp-goal', { type: 'bar', data: { labels: ps.map(p => p.label), datasets: [
    { label: goal.label + ': 95% interval', backgroundColor: '#3b6fd8',
      data: ps.map(p => { const r = p.results[goal.key]; return r.mean === null ? null : [r.mean - (r.halfWidth ?? 0), r.mean + (r.halfWidth ?? 0)]; }) } ] },
    options: { indexAxis: 'y', scales: { x: { title: { display: true, text: goal.label } } } } });
}
`;

/** A table that scrolls sideways inside its card on a narrow screen, reachable by keyboard. */
export const scrollable = (label: string, html: string) => `<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(label)}">${html}</div>`;

export function htmlTable(head: string[], rows: (string | number | null)[][], leftColumns = 1): string {
  const cell = (v: string | number | null, i: number, tag: string) => `<${tag}${i < leftColumns ? ' class="l"' : ''}>${escapeHtml(v === null ? '—' : String(v))}</${tag}>`;
  return `<table><thead><tr>${head.map((h, i) => cell(h, i, 'th')).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v, i) => cell(v, i, 'td')).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

function metricsSections(m: MetricsJson): string {
  const outcomes = htmlTable(
    ['Source', 'Tokens', 'Seen', 'Cancelled', 'Did not come', 'Never got a seat'],
    SOURCES.map((s) => {
      const x = m.tokens.bySource[s];
      return [SOURCE_WORDS[s], x.issued, x.COMPLETED, x.CANCELLED, x.NO_SHOW, x.EXPIRED];
    }),
  );
  const seats = htmlTable(
    ['Slot', 'Seats', 'Used', 'Used (%)', 'Most held at once', 'Did not come'],
    m.seats.bySlotTime.map((s) => [s.slot, s.capacity, s.used, pct(s.utilisation), s.peakOccupied, s.noShows]),
  );
  const waits = htmlTable(
    ['Source', 'Called', 'Typical (median, min)', '9 in 10 within (p90, min)', 'Longest (min)'],
    [...SOURCES.map((s) => [SOURCE_WORDS[s], m.waits.bySource[s]] as const), ['All', m.waits.all] as const].map(([s, w]) => [s, w.count, w.medianMinutes, w.p90Minutes, w.maxMinutes]),
  );
  const lw = m.longestWait;
  return `
<div class="grid">
<section class="card"><h2>Seats used per slot through the day</h2><div class="chart"><canvas id="seats" role="img" aria-label="Seats used, no-shows, seats and most held per slot; the same numbers are in the table of seats per slot"></canvas></div></section>
<section class="card"><h2>Waiting time by source</h2><div class="chart"><canvas id="waits" role="img" aria-label="Typical and 9-in-10 waits by source; the same numbers are in the waiting-time table"></canvas></div></section>
</div>
<div class="grid">
<section class="card"><h2>Seats per slot (all doctors)</h2>${scrollable('Seats per slot', seats)}</section>
<section class="card"><h2>Waiting time: check-in to call</h2>${scrollable('Waiting time by source', waits)}<p class="note">9 in 10 within (p90): 9 in 10 patients were called within this many minutes.</p></section>
</div>
<div class="grid">
<section class="card"><h2>Tokens by source and outcome</h2><div class="chart"><canvas id="outcomes" role="img" aria-label="Tokens by source and outcome; the same numbers are in the table below"></canvas></div>${scrollable('Tokens by source and outcome', outcomes)}</section>
<section class="card"><h2>What moved</h2><table class="facts"><tbody>
<tr><td>Bumped for a higher priority</td><td>${m.bumps.total} (${m.bumps.toLaterSlot} to a later slot, ${m.bumps.toWaitlist} to wait for a seat)</td></tr>
<tr><td>Given a freed seat while waiting</td><td>${m.promotions.total}</td></tr>
<tr><td>Moved because a slot shrank</td><td>${m.moves.total}</td></tr>
<tr><td>Emergency seats beyond capacity</td><td>${m.overflowSeats}</td></tr>
<tr><td>Did not come (marked by staff / after the grace time / after missed calls)</td><td>${m.noShows.byStaff} / ${m.noShows.afterGrace} / ${m.noShows.afterSkips}</td></tr>
<tr><td>Longest wait</td><td>${lw ? escapeHtml(`${lw.token} (${SOURCE_WORDS[lw.source].toLowerCase()}) at ${lw.doctor}: ${lw.minutes} min, ${clockOf(lw.checkedInAt)} → ${clockOf(lw.calledAt)}`) : '—'}</td></tr>
<tr><td>Doctors past their last slot</td><td>typically ${m.overtime.medianMinutes ?? '—'} min, longest ${m.overtime.maxMinutes ?? '—'} min</td></tr>
</tbody></table></section>
</div>
${m.doctors.length > DEPARTMENT_BREAKDOWN_FROM ? departmentsCard(m) : ''}`;
}

/** With more doctors than this, the page adds a table by department. */
const DEPARTMENT_BREAKDOWN_FROM = 12;

function departmentsCard(m: MetricsJson): string {
  const rows = m.departments.map((d) => [
    d.department,
    d.doctors,
    d.tokens,
    d.seen,
    d.noShows,
    d.expired,
    `${d.waits.medianMinutes ?? '—'} / ${d.waits.p90Minutes ?? '—'}`,
    `${d.walkInWaits.medianMinutes ?? '—'} / ${d.walkInWaits.p90Minutes ?? '—'}`,
    d.overtimeMaxMinutes,
  ]);
  return `<section class="card"><h2>By department</h2>${scrollable('By department', htmlTable(
    ['Department', 'Doctors', 'Tokens', 'Seen', 'Did not come', 'Never got a seat', 'Wait, typical / 9 in 10 (min)', 'Walk-ins, typical / 9 in 10 (min)', 'Longest overtime (min)'],
    rows,
  ))}</section>`;
}

/** The engine's own counters, folded away: for developers. */
function developerCard(m: MetricsJson): string {
  const inv = m.invariants;
  const refusals = Object.entries(m.refusals.byCode).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return `<section class="card"><details><summary>For developers</summary><table class="facts"><tbody>
<tr><td>Commands run / refused</td><td>${m.commands} / ${escapeHtml(refusals)}</td></tr>
<tr><td>Aging steps</td><td>${m.aged}</td></tr>
<tr><td>Invariants</td><td class="${inv.violations === 0 ? 'ok' : 'bad'}">${inv.checks} checks, ${inv.violations} violations</td></tr>
</tbody></table></details></section>`;
}

function singleBody(r: SingleReport): string {
  const timeline = r.timeline
    ? `<section class="card"><h2>Timeline</h2><ol class="timeline">${r.timeline
        .filter((e) => !QUIET_KINDS.has(e.kind))
        .map((e) => `<li><span class="t">${e.time}</span><span class="d">${escapeHtml(e.doctor)}</span>${escapeHtml(e.text)}</li>`)
        .join('')}</ol></section>`
    : '';
  const tokens = r.tokens
    ? `<section class="card"><h2>Final tokens</h2>${scrollable('Final tokens', htmlTable(
        ['Token', 'Source', 'Patient', 'Status', 'Slot', 'Bumps', 'Est. time'],
        r.tokens.map((t) => [t.number, SOURCE_WORDS[t.source], t.patient, STATUS_WORDS[t.status], t.slot, t.bumps, clockOf(t.estimatedAt)]),
        5,
      ))}</section>`
    : '';
  return metricsSections(r.metrics) + timeline + tokens + developerCard(r.metrics);
}

/** The whole page. `chartJs` is the source of chart.umd.js (see loadChartJs). */
export function renderHtml(report: Report, chartJs: string): string {
  const s = report.simulation;
  const title = s.scenario === 'assignment-day' ? 'Assignment day' : `Generated day: ${s.doctors} doctors, seed ${s.seed}`;
  const sub = `${longDate(s.date)} · ${s.timeZone} (UTC${s.utcOffset}) · ${report.mode === 'compare' ? `${report.policies.length} policies compared on ${report.seeds.length} day${report.seeds.length === 1 ? '' : 's'}` : `preemption ${report.policy.preemption}, aging ${report.policy.agingMinutes === null ? 'off' : `${report.policy.agingMinutes} min`}`}`;
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
