// What if (Reports section): a past day replayed from the event log under another rule for booked
// seats, beside what happened ("what if we had used emergency-only on 3 Dec?"). The arrivals,
// check-ins, cancellations and the doctors' calls are those of the day; the seats, bumps, waiting list
// and order of calls are decided again.

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { compareRows, OUTCOME_WORDS } from '../../../reports/words.ts';
import { api, errorText, type Preemption, type WhatIf } from '../../api.ts';
import { SOURCE_LABEL } from '../../format.ts';
import { useDoctors } from '../../hooks.ts';
import { addDays, longDay } from './report-dates.ts';

const RULES: [Preemption, string][] = [
  ['emergency-only', 'Only emergencies may take a booked seat'],
  ['off', 'Nobody may take a booked seat'],
  ['strict-priority', 'Any more urgent patient may take a booked seat'],
];
const RULE_WORDS = Object.fromEntries(RULES) as Record<Preemption, string>;

function Result({ result }: { result: WhatIf }) {
  const rows = compareRows(result.real.hospital, result.whatIf.hospital);
  const changes = result.doctors.flatMap((d) => d.changes.map((c) => ({ doctor: d.doctor, ...c })));
  const skipped = result.doctors.flatMap((d) => d.skipped.map((s) => `${d.doctor}, ${s}`));
  return (
    <div data-testid="what-if-result">
      <p>
        <strong>{longDay(result.date)}.</strong> What happened: {RULE_WORDS[result.realPolicy.preemption].toLowerCase()}. What if: {RULE_WORDS[result.policy.preemption].toLowerCase()}.
      </p>
      <div className="table-scroll" role="region" aria-label="What happened and what if, side by side" tabIndex={0}>
        <table className="plain report compare">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Measure</span>
              </th>
              <th scope="col" className="num">
                What happened
              </th>
              <th scope="col" className="num">
                What if
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, a, b, change]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="num">{a}</td>
                <td className="num">{b}</td>
                <td className="num">{change}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="subhead">Patients who would have ended the day differently</h3>
      {changes.length === 0 ? (
        <p className="empty">Nobody: every patient would have ended the day the same way.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Patients who would have ended the day differently" tabIndex={0}>
          <table className="plain report" data-testid="what-if-changes">
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Doctor</th>
                <th scope="col">Source</th>
                <th scope="col">What happened</th>
                <th scope="col">What if</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={`${c.doctor}-${c.number}`}>
                  <th scope="row">{c.number}</th>
                  <td>{c.doctor}</td>
                  <td>{SOURCE_LABEL[c.source]}</td>
                  <td>{OUTCOME_WORDS[c.real]}</td>
                  <td>{OUTCOME_WORDS[c.whatIf]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {skipped.length > 0 && (
        <details>
          <summary>What could not happen in the replayed day ({skipped.length})</summary>
          <ul>
            {skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function WhatIfPanel({ today }: { today: string }) {
  const doctors = useDoctors().data ?? [];
  const [date, setDate] = useState(() => addDays(today, -1));
  const [rule, setRule] = useState<Preemption>('emergency-only');
  const [doctorId, setDoctorId] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const run = useMutation({ mutationFn: () => api.whatIf(date, rule, doctorId === '' ? undefined : [doctorId]) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (date === '' || date >= today) {
      setDateError('Choose a day that is over (before today).');
      return;
    }
    setDateError(null);
    run.mutate();
  };
  return (
    <section className="card" aria-labelledby="what-if-title" data-testid="what-if">
      <h2 id="what-if-title">What if</h2>
      <p className="muted">Replays a past day with the same patients arriving, checking in and cancelling when they did, under another rule for booked seats.</p>
      <form className="range-form" onSubmit={submit} noValidate>
        <label>
          Day
          <input
            type="date"
            name="what-if-date"
            value={date}
            max={addDays(today, -1)}
            onChange={(e) => setDate(e.target.value)}
            aria-invalid={dateError !== null}
            aria-describedby={dateError ? 'what-if-date-error' : undefined}
          />
          {dateError && (
            <span className="field-error" id="what-if-date-error">
              {dateError}
            </span>
          )}
        </label>
        <label>
          Rule for booked seats
          <select name="what-if-rule" value={rule} onChange={(e) => setRule(e.target.value as Preemption)}>
            {RULES.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          Doctor
          <select name="what-if-doctor" value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
            <option value="">All doctors</option>
            {doctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.department})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={run.isPending}>
          {run.isPending ? 'Replaying…' : 'Replay the day'}
        </button>
      </form>
      {run.isError && <p className="error">{errorText(run.error)}</p>}
      {run.data && <Result result={run.data} />}
    </section>
  );
}
