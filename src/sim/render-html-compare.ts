// The comparison part of the HTML report (`--compare --report FILE`): the recommendation first, then
// the table of every policy's numbers with their intervals and marks, the policies that came out the
// same and why, and two charts. The charts are drawn by the page's script from the embedded report.

import type { CompareReport } from './report.ts';
import { cellMark, cellText, columnLabel } from './render-compare.ts';
import { escapeHtml, scrollable } from './render-html.ts';

export function compareBody(r: CompareReport): string {
  const n = r.seeds.length;
  const head = `<tr><th class="l">${n > 1 ? `Average of ${n} days ± 95% interval` : 'One day'}</th>${r.policies
    .map((_, i) => `<th scope="col">${escapeHtml(columnLabel(r, i))}</th>`)
    .join('')}</tr>`;
  const body = r.metrics
    .map((m) => {
      const cells = r.policies.map((_, i) => {
        const mark = cellMark(r, i, m.key);
        const text = escapeHtml(cellText(r, i, m.key));
        if (!mark) return `<td>${text}</td>`;
        const cls = `${mark.arrow === '↑' ? 'up' : 'down'}-${mark.better === false ? 'bad' : 'good'}`;
        const words = `${mark.arrow === '↑' ? 'higher' : 'lower'} than the policy in force beyond the noise`;
        return `<td class="${mark.better === null ? '' : cls}">${text} <span aria-label="${words}" title="${words}">${mark.arrow}</span></td>`;
      });
      return `<tr><th scope="row" class="l">${escapeHtml(m.label)}</th>${cells.join('')}</tr>`;
    })
    .join('');
  const alike =
    r.alike.length === 0
      ? ''
      : `<section class="card"><h2>Policies that came out the same</h2><ul>${r.alike
          .map((a) => `<li><strong>${escapeHtml(a.policies.join(' = '))}</strong>: ${escapeHtml(a.reasons.join('; '))}.</li>`)
          .join('')}</ul></section>`;
  return `
<section class="card recommendation"><p>${escapeHtml(r.recommendation.text)}</p></section>
<section class="card"><h2>Policies side by side</h2>${scrollable('Policies side by side', `<table class="compare"><thead>${head}</thead><tbody>${body}</tbody></table>`)}
<p class="note">${
    n > 1
      ? `Each number is the average over the same ${n} generated days ± its 95% interval. ↑ ↓ mark a number higher or lower than under the policy in force by more than the noise between days (green: better, red: worse).`
      : 'One day: no interval, and no way to tell a real difference from chance.'
  } 9 in 10 within (p90): 9 in 10 patients were called within this many minutes of checking in. Never got a seat: waited all day for one. Overtime: minutes a doctor worked past the end of the last slot.</p></section>
${alike}
<div class="grid">
<section class="card"><h2>Waits by source, per policy</h2><div class="chart"><canvas id="cmp-waits" role="img" aria-label="The wait 9 in 10 patients were called within, by source and policy; the same numbers are in the table"></canvas></div></section>
<section class="card"><h2>The goal's number, with its 95% interval</h2><div class="chart"><canvas id="cmp-goal" role="img" aria-label="Each policy's 95% interval for the number the recommendation aims at; the same numbers are in the table"></canvas></div></section>
</div>`;
}
