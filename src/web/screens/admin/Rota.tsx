// The admin's weekly rota (/admin?section=rota): a doctor's name and room, the OPD sessions of the
// week (a row each: weekday, times, slot minutes, seats, room), the question asked when days ahead
// already have tokens, and leave and holidays with their reason. The service makes the slots of the
// days ahead from the rota itself; this screen only says what the week looks like.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactElement } from 'react';
import { ApiError, errorText, type Doctor } from '../../api.ts';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { slotLabel } from '../../format.ts';
import { useDoctors, useUrlParam } from '../../hooks.ts';
import { keys } from '../../live.tsx';
import { rotaApi, type Rota, type RotaChange, type RotaSession } from '../../rota-api.ts';
import { ClosedDates, dayName } from './ClosedDates.tsx';
import './rota.css';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A session as typed: every field a string until it is sent. */
interface Row {
  key: number;
  weekday: string;
  start: string;
  end: string;
  slotMinutes: string;
  capacity: string;
  room: string;
}

let rowKeys = 0;
const newRow = (from?: Partial<Row>): Row => ({ key: ++rowKeys, weekday: '1', start: '09:00', end: '13:00', slotMinutes: '15', capacity: '4', room: '', ...from });
const rowOf = (s: Rota['sessions'][number]): Row =>
  newRow({ weekday: String(s.weekday), start: s.start, end: s.end, slotMinutes: String(s.slotMinutes), capacity: String(s.capacity), room: s.room ?? '' });

/** A refusal's messages per field ("sessions/2/start" → message), from the problem's `errors`. */
function fieldErrors(err: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(err instanceof ApiError)) return out;
  const errors = (err.problem as { errors?: { path?: string; message?: string }[] }).errors ?? [];
  for (const e of errors) if (e.path && e.message && !out.has(e.path)) out.set(e.path.replace(/^\//, ''), e.message);
  return out;
}


export function RotaAdmin() {
  const doctors = useDoctors();
  const [doctorParam, setDoctor] = useUrlParam('doctor');
  const doctorId = doctorParam ?? doctors.data?.[0]?.id;
  const doctor = doctors.data?.find((d) => d.id === doctorId);
  const selectId = useId();
  return (
    <div className="admin rota-admin">
      <section className="card" aria-labelledby="rota-doctor-title">
        <h2 id="rota-doctor-title">Weekly rota</h2>
        {doctors.data && doctors.data.length === 0 && <p className="empty">Add a doctor first (Doctors and slots).</p>}
        {doctors.data && doctors.data.length > 0 && (
          <label htmlFor={selectId} className="inline">
            Doctor
            <select id={selectId} name="rotaDoctor" value={doctorId ?? ''} onChange={(e) => setDoctor(e.target.value)}>
              {doctors.data.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} — {d.department}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
      {doctor && <DoctorRoom key={`room-${doctor.id}`} doctor={doctor} />}
      {doctor && <WeekEditor key={`week-${doctor.id}`} doctor={doctor} />}
      <ClosedDates doctors={doctors.data ?? []} />
    </div>
  );
}

function DoctorRoom({ doctor }: { doctor: Doctor }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(doctor.name);
  const [room, setRoom] = useState(doctor.room ?? '');
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = useMutation({
    mutationFn: () => rotaApi.updateDoctor(doctor.id, { name: name.trim(), room: room.trim() === '' ? null : room.trim() }),
    onSuccess: async (d) => {
      setNotice({ kind: 'ok', headline: d.room ? `${d.name} sees patients in ${d.room}` : `${d.name} has no room set` });
      await queryClient.invalidateQueries({ queryKey: keys.doctors });
    },
    onError: (err) => setNotice({ kind: 'error', headline: errorText(err) }),
  });
  return (
    <section className="card" aria-labelledby="room-title">
      <h2 id="room-title">Name and room</h2>
      <form
        className="inline-form"
        aria-label="The doctor's name and room"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label>
          Name
          <input name="doctorName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Room <span className="optional">(sessions without a room of their own use it)</span>
          <input name="doctorRoom" value={room} onChange={(e) => setRoom(e.target.value)} maxLength={60} placeholder="e.g. Room 3" />
        </label>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save name and room
        </button>
      </form>
      <NoticeLine notice={notice} testId="room-notice" />
    </section>
  );
}

function WeekEditor({ doctor }: { doctor: Doctor }) {
  const rota = useQuery({ queryKey: ['doctor', doctor.id, 'rota'], queryFn: () => rotaApi.rota(doctor.id), staleTime: Infinity });
  if (rota.error) return <p className="card error">{errorText(rota.error)}</p>;
  if (!rota.data) return <p className="card muted">Loading the rota…</p>;
  return <WeekForm doctor={doctor} rota={rota.data} />;
}

function WeekForm({ doctor, rota }: { doctor: Doctor; rota: Rota }) {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>(() => rota.sessions.map(rowOf));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [asks, setAsks] = useState<RotaChange['asks']>([]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['doctor', doctor.id] });

  const save = useMutation({
    mutationFn: () =>
      rotaApi.setRota(
        doctor.id,
        rows.map((r) => ({
          weekday: Number(r.weekday),
          start: r.start,
          end: r.end,
          slotMinutes: Number(r.slotMinutes),
          capacity: Number(r.capacity),
          room: r.room.trim() === '' ? null : r.room.trim(),
        })) as RotaSession[],
      ),
    onSuccess: (change) => {
      setErrors(new Map());
      setAsks(change.asks);
      const made = change.changed.length;
      setNotice({
        kind: 'ok',
        headline: `Rota saved for ${doctor.name}. ${made === 0 ? 'No day needed new slots.' : `Slots made again for ${made} ${made === 1 ? 'day' : 'days'} ahead.`}`,
        detail: `The next ${change.rota.daysAhead} days are kept made from this rota.`,
      });
      void refresh();
    },
    onError: (err) => {
      const byField = fieldErrors(err);
      setErrors(byField);
      setNotice({ kind: 'error', headline: byField.size > 0 ? 'The rota was not saved: fix the marked fields.' : errorText(err) });
    },
  });

  const apply = useMutation({
    mutationFn: () => rotaApi.applyRota(doctor.id, asks.map((a) => a.date)),
    onSuccess: (out) => {
      setAsks([]);
      setNotice({
        kind: 'ok',
        headline: `The new rota now applies to ${out.applied.map(dayName).join(', ')}.`,
        detail:
          out.kept.length === 0
            ? null
            : `Slots with patients were kept as they were: ${out.kept.map((s) => `${dayName(s.start.slice(0, 10))} ${slotLabel(s)}`).join('; ')}. Close one under Doctors and slots to move its patients.`,
      });
      void refresh();
    },
    onError: (err) => setNotice({ kind: 'error', headline: errorText(err) }),
  });

  const update = (key: number, field: keyof Row, value: string) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const list = rows;
  return (
    <section className="card" aria-labelledby="week-title">
      <h2 id="week-title">OPD sessions of {doctor.name}</h2>
      <p className="muted">Each session is cut into slots of the given minutes, with that many seats in each slot.</p>
      <form
        aria-label="Weekly sessions"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {list.length === 0 && <p className="empty">No sessions: the service makes no slots for this doctor.</p>}
        <ol className="sessions">
          {list.map((r, i) => (
            <SessionRow key={r.key} row={r} index={i} errors={errors} onChange={update} onRemove={() => setRows(list.filter((x) => x.key !== r.key))} />
          ))}
        </ol>
        <div className="actions-row">
          <button type="button" onClick={() => setRows([...list, newRow(list.at(-1) && { ...list.at(-1), weekday: String((Number(list.at(-1)!.weekday) % 7) + 1) })])}>
            Add a session
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            Save rota
          </button>
        </div>
      </form>
      <NoticeLine notice={notice} testId="rota-notice" />
      {asks.length > 0 && (
        <div className="ask" role="group" aria-labelledby="ask-title">
          <h3 id="ask-title">These days already have tokens</h3>
          <p>They were left as they were:</p>
          <ul>
            {asks.map((a) => (
              <li key={a.date}>
                {dayName(a.date)}: {a.liveTokens} {a.liveTokens === 1 ? 'patient' : 'patients'} booked or waiting
              </li>
            ))}
          </ul>
          <p>Apply the new rota to them anyway? Slots with patients stay as they are; the rest of each day follows the new rota.</p>
          <div className="actions-row">
            <button type="button" className="primary" onClick={() => apply.mutate()} disabled={apply.isPending}>
              Apply to these days
            </button>
            <button type="button" onClick={() => setAsks([])}>
              Leave them as they are
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function SessionRow({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: Row;
  index: number;
  errors: Map<string, string>;
  onChange: (key: number, field: keyof Row, value: string) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const error = (field: string) => errors.get(`sessions/${index}/${field}`);
  const field = (name: keyof Row, label: string, input: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactElement) => {
    const message = error(name);
    const inputId = `${id}-${name}`;
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        {input({ id: inputId, ...(message ? { 'aria-invalid': true, 'aria-describedby': `${inputId}-error` } : {}) })}
        {message && (
          <span className="field-error" id={`${inputId}-error`}>
            {message}
          </span>
        )}
      </div>
    );
  };
  const summary = `${WEEKDAYS[Number(row.weekday) - 1]} ${row.start}–${row.end}`;
  return (
    <li className="session">
      <fieldset>
        <legend className="sr-only">Session {index + 1}</legend>
        {field('weekday', 'Day', (p) => (
          <select {...p} value={row.weekday} onChange={(e) => onChange(row.key, 'weekday', e.target.value)}>
            {WEEKDAYS.map((d, i) => (
              <option key={d} value={String(i + 1)}>
                {d}
              </option>
            ))}
          </select>
        ))}
        {field('start', 'From', (p) => <input {...p} type="time" required value={row.start} onChange={(e) => onChange(row.key, 'start', e.target.value)} />)}
        {field('end', 'To', (p) => <input {...p} type="time" required value={row.end} onChange={(e) => onChange(row.key, 'end', e.target.value)} />)}
        {field('slotMinutes', 'Minutes per slot', (p) => (
          <input {...p} type="number" min={5} max={480} required value={row.slotMinutes} onChange={(e) => onChange(row.key, 'slotMinutes', e.target.value)} />
        ))}
        {field('capacity', 'Seats per slot', (p) => (
          <input {...p} type="number" min={1} max={1000} required value={row.capacity} onChange={(e) => onChange(row.key, 'capacity', e.target.value)} />
        ))}
        {field('room', 'Room', (p) => (
          <input {...p} value={row.room} maxLength={60} placeholder="Doctor's room" onChange={(e) => onChange(row.key, 'room', e.target.value)} />
        ))}
        <button type="button" className="remove" onClick={onRemove} aria-label={`Remove the session ${summary}`}>
          Remove
        </button>
      </fieldset>
    </li>
  );
}
