// Reports (/admin?section=reports): a day or a range of days from the event log, for administrators.
// The whole hospital at a glance (figures and two charts), then tables per department, per doctor, per
// doctor-day and per slot hours, each with a CSV download; and the what-if of a past day (WhatIf.tsx).
// The range stays in the address (?from=…&to=…), so a reload or a shared link shows the same report.

import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, errorText, type Report, type ReportRow } from '../../api.ts';
import { useClock, useUrlParam } from '../../hooks.ts';
import { csvName, DOCTOR_DAY_COLUMNS, rowColumns, SLOT_HOURS_COLUMNS, toCsv, type Column } from '../../report-csv.ts';
import { OutcomeChart, WaitChart } from './ReportCharts.tsx';
import { WhatIfPanel } from './WhatIf.tsx';
import { addDays, longDay } from './report-dates.ts';

/** A table of the report with its CSV download; wide tables scroll inside their box, never the page. */
function ReportTable<T>({ title, columns, rows, file, empty, testId }: { title: string; columns: Column<T>[]; rows: T[]; file: string; empty: string; testId: string }) {
  const id = useId();
  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="card report-table" aria-labelledby={`${id}-title`} data-testid={testId}>
      <div className="report-table-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" className="small" onClick={download} disabled={rows.length === 0}>
          Download CSV<span className="sr-only">: {title}</span>
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={`${id}-title`} tabIndex={0}>
          <table className="plain report">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.heading} scope="col" className={c.numeric ? 'num' : undefined}>
                    {c.heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {columns.map((c, j) =>
                    j === 0 ? (
                      <th key={c.heading} scope="row">
                        {c.value(r)}
                      </th>
                    ) : (
                      <td key={c.heading} className={c.numeric ? 'num' : undefined}>
                        {c.value(r)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

function Figures({ row }: { row: ReportRow }) {
  const figures: [string, string][] = [
    ['Tokens', String(row.tokens)],
    ['Patients seen', String(row.seen)],
    ['Did not come', pct(row.noShowRate)],
    ['Cancelled', pct(row.cancellationRate)],
    ['Median wait', row.waits.ALL.median === null ? '–' : `${row.waits.ALL.median} min`],
    ['9 in 10 waited at most', row.waits.ALL.p90 === null ? '–' : `${row.waits.ALL.p90} min`],
    ['Overtime', `${row.overtimeMinutes} min`],
    ['Seats used', `${row.seatsUsed} of ${row.seatsOffered}`],
  ];
  return (
    <dl className="figures" data-testid="report-figures">
      {figures.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { from, to, hospital } = report;
  const range = from === to ? longDay(from) : `${longDay(from)} to ${longDay(to)}`;
  return (
    <>
      <section className="card" aria-labelledby="report-hospital">
        <h2 id="report-hospital">Whole hospital, {range}</h2>
        {hospital.days === 0 ? <p className="empty">No doctor worked on these days.</p> : <Figures row={hospital} />}
        <p className="muted">
          Waits run from check-in to the doctor's call. "Did not come" and "Cancelled" are shares of all tokens. Overtime is how long after the end of a doctor's last slot the last patient
          was done. "Gave up seat": a booked patient moved for a more urgent one.
        </p>
      </section>
      {hospital.tokens > 0 && (
        <div className="report-charts">
          <section className="card" aria-labelledby="chart-outcomes-title">
            <h2 id="chart-outcomes-title">Tokens by source and outcome</h2>
            <OutcomeChart row={hospital} />
          </section>
          <section className="card" aria-labelledby="chart-waits-title">
            <h2 id="chart-waits-title">Wait from check-in to call</h2>
            <WaitChart row={hospital} />
          </section>
        </div>
      )}
      <ReportTable title="By department" columns={rowColumns('Department')} rows={report.departments} file={csvName('departments', from, to)} empty="No department worked on these days." testId="table-departments" />
      <ReportTable title="By doctor" columns={rowColumns('Doctor')} rows={report.doctors} file={csvName('doctors', from, to)} empty="No doctor worked on these days." testId="table-doctors" />
      <ReportTable title="Each doctor's day" columns={DOCTOR_DAY_COLUMNS} rows={report.doctorDays} file={csvName('doctor-days', from, to)} empty="No doctor worked on these days." testId="table-doctor-days" />
      <ReportTable title="Seats by slot hours" columns={SLOT_HOURS_COLUMNS} rows={report.slotHours} file={csvName('slot-hours', from, to)} empty="No slots on these days." testId="table-slot-hours" />
    </>
  );
}

export function ReportsAdmin() {
  const today = useClock().data?.today;
  const [fromParam, setFrom] = useUrlParam('from');
  const [toParam, setTo] = useUrlParam('to');
  const yesterday = today === undefined ? undefined : addDays(today, -1);
  const from = fromParam ?? yesterday;
  const to = toParam ?? from;
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const shown = draft ?? { from: from ?? '', to: to ?? '' };
  const report = useQuery({ queryKey: ['report', from, to], queryFn: () => api.report(from!, to!), enabled: from !== undefined && to !== undefined });

  const show = (f: string, t: string) => {
    setDraft(null);
    setRangeError(null);
    setFrom(f);
    setTo(t === f ? undefined : t);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (shown.from === '' || shown.to === '') setRangeError('Choose both days.');
    else if (shown.to < shown.from) setRangeError('The last day comes before the first.');
    else show(shown.from, shown.to);
  };
  const preset = (days: number) => () => today && show(addDays(today, -days), addDays(today, -1));

  return (
    <div className="reports">
      <section className="card" aria-labelledby="reports-title">
        <h2 id="reports-title">Reports</h2>
        <form className="range-form" onSubmit={submit} noValidate>
          <label>
            From
            <input type="date" name="from" value={shown.from} max={today} onChange={(e) => setDraft({ ...shown, from: e.target.value })} />
          </label>
          <label>
            To
            <input
              type="date"
              name="to"
              value={shown.to}
              max={today}
              onChange={(e) => setDraft({ ...shown, to: e.target.value })}
              aria-invalid={rangeError !== null}
              aria-describedby={rangeError ? 'range-error' : undefined}
            />
            {rangeError && (
              <span className="field-error" id="range-error">
                {rangeError}
              </span>
            )}
          </label>
          <button type="submit" className="primary">
            Show
          </button>
          <div className="presets" role="group" aria-label="Quick ranges">
            <button type="button" className="small" onClick={() => today && show(today, today)}>
              Today
            </button>
            <button type="button" className="small" onClick={preset(1)}>
              Yesterday
            </button>
            <button type="button" className="small" onClick={preset(7)}>
              Last 7 days
            </button>
            <button type="button" className="small" onClick={preset(30)}>
              Last 30 days
            </button>
          </div>
        </form>
        {report.isError && <p className="error">{errorText(report.error)}</p>}
        {report.isPending && from !== undefined && <p className="muted">Adding up the days…</p>}
      </section>
      {report.data && <ReportBody report={report.data} />}
      {today && <WhatIfPanel today={today} />}
    </div>
  );
}

export default ReportsAdmin;
