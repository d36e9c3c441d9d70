// The admin view's first section: doctors, a doctor-day's slots (add, change capacity, close) and a doctor's policy
// overrides of the hospital default (SPEC 9). Times are typed as the hospital's wall-clock times and
// sent with the hospital zone's offset (the server's clock says which zone).

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { DEFAULT_POLICY, SOURCES, type Policy } from '../../../shared/vocabulary.ts';
import { formatIso, localToEpoch } from '../../../shared/local-time.ts';
import { api, errorText, type Doctor, type PolicyOverrides, type ScheduleSlot } from '../../api.ts';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { SOURCE_LABEL, slotLabel } from '../../format.ts';
import { useClock, useDoctors, useSchedule, useUrlParam } from '../../hooks.ts';
import { keys } from '../../live.tsx';

export function DoctorsAdmin() {
  const doctors = useDoctors();
  const [doctorParam, setDoctor] = useUrlParam('doctor');
  const doctorId = doctorParam ?? doctors.data?.[0]?.id;
  const doctor = doctors.data?.find((d) => d.id === doctorId);
  return (
    <div className="admin">
      <DoctorsSection doctors={doctors.data ?? []} selected={doctorId} onSelect={setDoctor} />
      {doctor && <SlotsSection key={`slots-${doctor.id}`} doctor={doctor} />}
      {doctor && <PolicySection key={`policy-${doctor.id}`} doctor={doctor} />}
    </div>
  );
}

function DoctorsSection({ doctors, selected, onSelect }: { doctors: Doctor[]; selected: string | undefined; onSelect: (id: string) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [department, setDepartment] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const create = useMutation({
    mutationFn: () => api.createDoctor({ name: name.trim(), department: department.trim(), ...(code.trim() ? { code: code.trim().toUpperCase() } : {}) }),
    onSuccess: async (d) => {
      setNotice({ kind: 'ok', headline: `Added ${d.name} (${d.code})` });
      setName('');
      setDepartment('');
      setCode('');
      await queryClient.invalidateQueries({ queryKey: keys.doctors });
      onSelect(d.id);
    },
    onError: (err) => setNotice({ kind: 'error', headline: errorText(err) }),
  });
  return (
    <section className="card" aria-labelledby="doctors-title">
      <h2 id="doctors-title">Doctors</h2>
      {doctors.length === 0 ? (
        <p className="empty">No doctors yet.</p>
      ) : (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Doctor</th>
              <th scope="col">Department</th>
              <th scope="col">Code</th>
              <th scope="col">
                <span className="sr-only">Screens</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {doctors.map((d) => (
              <tr key={d.id} className={d.id === selected ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link" onClick={() => onSelect(d.id)} aria-pressed={d.id === selected}>
                    {d.name}
                  </button>
                </th>
                <td>{d.department}</td>
                <td>{d.code}</td>
                <td className="links">
                  <a href={`/?doctor=${encodeURIComponent(d.id)}`}>Desk</a> <a href={`/doctor/${encodeURIComponent(d.id)}`}>Console</a>{' '}
                  <a href={`/board?doctors=${encodeURIComponent(d.id)}`}>Board</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        aria-label="Add a doctor"
      >
        <label>
          Name
          <input name="doctorName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Department
          <input name="department" value={department} onChange={(e) => setDepartment(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Code <span className="optional">(optional)</span>
          <input name="code" value={code} onChange={(e) => setCode(e.target.value)} pattern="[A-Za-z]{2,4}" maxLength={4} size={5} />
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Add doctor
        </button>
      </form>
      <NoticeLine notice={notice} testId="doctor-notice" />
    </section>
  );
}

function SlotsSection({ doctor }: { doctor: Doctor }) {
  const clock = useClock();
  const [dateParam, setDate] = useUrlParam('date');
  const date = dateParam ?? clock.data?.today;
  const schedule = useSchedule(doctor.id, date);
  const queryClient = useQueryClient();
  const [start, setStart] = useState('09:00');
  const [minutes, setMinutes] = useState('60');
  const [count, setCount] = useState('1');
  const [capacity, setCapacity] = useState('10');
  const [notice, setNotice] = useState<Notice | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['doctor', doctor.id] });
  /** The times of the slot being added, for naming what it clashes with. */
  const tried = useRef<{ start: string; end: string } | null>(null);

  const add = useMutation({
    mutationFn: async () => {
      const tz = clock.data?.timeZone;
      if (!tz || !date) throw new Error('The server clock has not answered yet; try again.');
      const [length, n, cap] = [Number(minutes), Number(count), Number(capacity)];
      if (!Number.isInteger(length) || length < 5 || length > 720) throw new Error('Slot length must be 5 to 720 minutes.');
      if (!Number.isInteger(n) || n < 1 || n > 24) throw new Error('Number of slots must be 1 to 24.');
      const first = localToEpoch(date, start, tz);
      const made: string[] = [];
      for (let i = 0; i < n; i++) {
        const from = first + i * length * 60_000;
        const to = from + length * 60_000;
        tried.current = { start: formatIso(from, tz), end: formatIso(to, tz) };
        const slot = await api.createSlot({ doctorId: doctor.id, ...tried.current, capacity: cap });
        made.push(slotLabel(slot));
      }
      return made;
    },
    onSuccess: (made) => {
      setNotice({ kind: 'ok', headline: `Added ${made.length === 1 ? 'slot' : 'slots'} ${made.join(', ')}` });
      void refresh();
    },
    onError: (err) => {
      // An overlap names the slot it clashes with, by its times ("Dr Rao already has a slot from 09:00 to 10:00").
      setNotice({ kind: 'error', headline: errorText(err, { doctorName: doctor.name, slots: schedule.data?.slots, requested: tried.current ?? undefined }) });
      void refresh();
    },
  });

  return (
    <section className="card" aria-labelledby="slots-title">
      <h2 id="slots-title">Slots of {doctor.name}</h2>
      <label className="inline">
        Date
        <input type="date" name="slotDate" value={date ?? ''} onChange={(e) => setDate(e.target.value || undefined)} />
      </label>
      {schedule.data && schedule.data.slots.length === 0 && <p className="empty">No slots on {schedule.data.date}.</p>}
      {schedule.data && schedule.data.slots.length > 0 && (
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Taken</th>
              <th scope="col">Capacity</th>
            </tr>
          </thead>
          <tbody>
            {schedule.data.slots.map((s) => (
              // keyed by capacity too: a change (here or on another desk) starts the field afresh
              <CapacityRow key={`${s.id}:${s.capacity}`} slot={s} onNotice={setNotice} />
            ))}
          </tbody>
        </table>
      )}
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          add.mutate();
        }}
        aria-label="Add slots"
      >
        <label>
          First starts at
          <input type="time" name="slotStart" value={start} onChange={(e) => setStart(e.target.value)} required />
        </label>
        <label>
          Minutes each
          <input type="number" name="slotMinutes" min={5} max={720} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
        </label>
        <label>
          How many
          <input type="number" name="slotCount" min={1} max={24} value={count} onChange={(e) => setCount(e.target.value)} required />
        </label>
        <label>
          Capacity
          <input type="number" name="slotCapacity" min={0} max={1000} value={capacity} onChange={(e) => setCapacity(e.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={add.isPending}>
          Add slots
        </button>
      </form>
      <NoticeLine notice={notice} testId="slot-notice" />
    </section>
  );
}

function CapacityRow({ slot, onNotice }: { slot: ScheduleSlot; onNotice: (n: Notice | null) => void }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(String(slot.capacity));
  const change = useMutation({
    mutationFn: (capacity: number) => api.changeCapacity(slot.id, capacity),
    onSuccess: (s) => {
      onNotice({ kind: 'ok', headline: s.capacity === 0 ? `${slotLabel(s)} closed: its tokens moved` : `${slotLabel(s)} now has ${s.capacity} seats` });
      void queryClient.invalidateQueries({ queryKey: ['doctor', slot.doctorId] });
    },
    onError: (err) => onNotice({ kind: 'error', headline: errorText(err) }),
  });
  const label = slotLabel(slot);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{slot.occupied}</td>
      <td>
        <form
          className="capacity"
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate(Number(value));
          }}
        >
          <label className="sr-only" htmlFor={`cap-${slot.id}`}>
            Capacity of {label}
          </label>
          <input id={`cap-${slot.id}`} type="number" min={0} max={100000} value={value} onChange={(e) => setValue(e.target.value)} size={5} required />
          <button type="submit" className="small" disabled={change.isPending || value === String(slot.capacity)}>
            Save
          </button>
          <button type="button" className="small danger" disabled={change.isPending || slot.capacity === 0} onClick={() => change.mutate(0)}>
            Close slot
          </button>
        </form>
      </td>
    </tr>
  );
}

/** The policy as form fields: '' means "the hospital default" (no override). */
type PolicyForm = {
  preemption: string;
  maxBumps: string;
  reserveReleaseMinutes: string;
  agingMinutes: string;
  agingFloor: string;
  noShowGraceMinutes: string;
  maxSkips: string;
  delayMode: string;
  allowance: Record<string, string>;
  agingOff: boolean;
  allowanceSet: boolean;
};

const NUMBER_FIELDS = [
  ['maxBumps', 'Most bumps per token'],
  ['reserveReleaseMinutes', 'Reserved seats open (minutes before the slot)'],
  ['agingMinutes', 'Aging: minutes per step'],
  ['agingFloor', 'Aging: best rank reachable'],
  ['noShowGraceMinutes', 'No-show grace after the slot (minutes)'],
  ['maxSkips', 'Skips before no-show'],
] as const;

function formOf(p: Partial<Policy>): PolicyForm {
  const str = (v: number | null | undefined) => (v === undefined || v === null ? '' : String(v));
  return {
    preemption: p.preemption ?? '',
    maxBumps: str(p.maxBumps),
    reserveReleaseMinutes: str(p.reserveReleaseMinutes),
    agingMinutes: str(p.agingMinutes),
    agingFloor: str(p.agingFloor),
    noShowGraceMinutes: str(p.noShowGraceMinutes),
    maxSkips: str(p.maxSkips),
    delayMode: p.delayMode ?? '',
    allowance: Object.fromEntries(SOURCES.map((s) => [s, str(p.allowance?.[s])])),
    agingOff: p.agingMinutes === null,
    allowanceSet: p.allowance !== undefined,
  };
}

function overridesOf(f: PolicyForm): PolicyOverrides {
  const out: PolicyOverrides = {};
  if (f.preemption) out.preemption = f.preemption as Policy['preemption'];
  if (f.delayMode) out.delayMode = f.delayMode as Policy['delayMode'];
  for (const [field] of NUMBER_FIELDS) {
    if (field === 'agingMinutes' && f.agingOff) continue;
    if (f[field] !== '') out[field] = Number(f[field]);
  }
  if (f.agingOff) out.agingMinutes = null;
  const allowance = Object.fromEntries(Object.entries(f.allowance).filter(([, v]) => v !== '').map(([s, v]) => [s, Number(v)]));
  if (Object.keys(allowance).length > 0) out.allowance = allowance;
  return out;
}

function PolicySection({ doctor }: { doctor: Doctor }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(doctor.policy));
  const [notice, setNotice] = useState<Notice | null>(null);
  const save = useMutation({
    mutationFn: () => api.setPolicy(doctor.id, overridesOf(form)),
    onSuccess: (d) => {
      setNotice({ kind: 'ok', headline: `Policy of ${d.name} saved; today's queue follows it now` });
      void queryClient.invalidateQueries({ queryKey: keys.doctors });
    },
    onError: (err) => setNotice({ kind: 'error', headline: errorText(err) }),
  });
  const set = (patch: Partial<PolicyForm>) => setForm((f) => ({ ...f, ...patch }));
  const defaultAllowance = (s: string) => String(DEFAULT_POLICY.allowance[s as keyof Policy['allowance']] ?? 0);
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Policy of {doctor.name}</h2>
      <p className="muted">Empty fields follow the hospital default, shown greyed.</p>
      <form
        className="policy"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label>
          Preemption
          <select name="preemption" value={form.preemption} onChange={(e) => set({ preemption: e.target.value })}>
            <option value="">Default ({DEFAULT_POLICY.preemption})</option>
            <option value="strict-priority">strict-priority: any higher priority may bump</option>
            <option value="emergency-only">emergency-only: only emergencies bump</option>
            <option value="off">off: nobody is bumped</option>
          </select>
        </label>
        <label>
          When the doctor is late
          <select name="delayMode" value={form.delayMode} onChange={(e) => set({ delayMode: e.target.value })}>
            <option value="">Default ({DEFAULT_POLICY.delayMode})</option>
            <option value="shrink">shrink: lost time costs seats</option>
            <option value="shift">shift: later slots move later</option>
          </select>
        </label>
        {NUMBER_FIELDS.map(([field, label]) => (
          <label key={field}>
            {label}
            <input
              type="number"
              name={field}
              min={field === 'agingMinutes' ? 1 : 0}
              value={form[field]}
              placeholder={String(DEFAULT_POLICY[field] ?? 'off')}
              disabled={field === 'agingMinutes' && form.agingOff}
              onChange={(e) => set({ [field]: e.target.value })}
            />
          </label>
        ))}
        <label className="check">
          <input type="checkbox" name="agingOff" checked={form.agingOff} onChange={(e) => set({ agingOff: e.target.checked })} />
          No aging (a long wait never moves anyone up)
        </label>
        <fieldset>
          <legend>Seats beyond capacity per source (negative keeps seats for the others)</legend>
          {SOURCES.map((s) => (
            <label key={s}>
              {SOURCE_LABEL[s]}
              <input
                type="number"
                name={`allowance-${s}`}
                min={-1000}
                max={1000}
                value={form.allowance[s]}
                placeholder={form.allowanceSet ? '0' : defaultAllowance(s)}
                onChange={(e) => {
                  // An allowance override replaces the whole map: the first edit starts from the defaults.
                  const base = form.allowanceSet ? form.allowance : Object.fromEntries(SOURCES.map((x) => [x, defaultAllowance(x)]));
                  set({ allowance: { ...base, [s]: e.target.value }, allowanceSet: true });
                }}
              />
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={save.isPending}>
          Save policy
        </button>
      </form>
      <NoticeLine notice={notice} testId="policy-notice" />
    </section>
  );
}
