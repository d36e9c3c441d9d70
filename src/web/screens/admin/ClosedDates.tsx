// Leave and holidays in the admin's rota section: the dates closed ahead (with Reopen), and closing a
// date for one doctor or every doctor, with a reason; the answer lists the patients the desk must call.

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { longDate } from '../../../shared/local-time.ts';
import { errorText, type Doctor } from '../../api.ts';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';
import { rotaApi } from '../../rota-api.ts';

/** "Wednesday 11 March": a date as staff say it. */
export const dayName = (date: string) => longDate(date).replace(/ \d{4}$/, '');

export function ClosedDates({ doctors }: { doctors: Doctor[] }) {
  const queryClient = useQueryClient();
  const closed = useQuery({ queryKey: ['closed-dates'], queryFn: rotaApi.closedDates });
  const [date, setDate] = useState('');
  const [who, setWho] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [toCall, setToCall] = useState<{ number: string; name: string; phone?: string }[]>([]);
  const nameOf = (id: string | null) => (id === null ? 'Every doctor (holiday)' : (doctors.find((d) => d.id === id)?.name ?? 'A doctor no longer listed'));
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['closed-dates'] });
    await queryClient.invalidateQueries({ queryKey: ['doctor'] });
  };
  const close = useMutation({
    mutationFn: () => rotaApi.closeDate({ date, reason: reason.trim(), ...(who === '' ? {} : { doctorId: who }) }),
    onSuccess: async (out) => {
      setNotice({
        kind: 'ok',
        headline: `${dayName(out.closed.date)} closed for ${out.closed.doctorId === null ? 'every doctor' : nameOf(out.closed.doctorId)}: ${out.slotsClosed} ${out.slotsClosed === 1 ? 'slot' : 'slots'} closed.`,
        detail: out.toCall.length === 0 ? 'Nobody was booked.' : `Call ${out.toCall.length === 1 ? 'this patient' : `these ${out.toCall.length} patients`} to move them to another day:`,
      });
      setToCall(out.toCall.map((t) => ({ number: t.number, name: t.patient?.name ?? 'Patient data erased', ...(t.patient?.phone ? { phone: t.patient.phone } : {}) })));
      setDate('');
      setReason('');
      await refresh();
    },
    onError: (err) => {
      setToCall([]);
      setNotice({ kind: 'error', headline: errorText(err) });
    },
  });
  const reopen = useMutation({
    mutationFn: (c: { date: string; doctorId: string | null }) => rotaApi.reopenDate(c.date, c.doctorId),
    onSuccess: async (out) => {
      setToCall([]);
      setNotice({ kind: 'ok', headline: `${dayName(out.date)} is open again${out.reopened.length > 0 ? ': its slots are back' : ''}.` });
      await refresh();
    },
    onError: (err) => setNotice({ kind: 'error', headline: errorText(err) }),
  });
  return (
    <section className="card" aria-labelledby="closed-title">
      <h2 id="closed-title">Leave and holidays</h2>
      {closed.data && closed.data.length === 0 && <p className="empty">No leave or holiday ahead.</p>}
      {closed.data && closed.data.length > 0 && (
        <ul className="closed-dates" aria-label="Leave and holidays ahead">
          {closed.data.map((c) => (
            <li key={`${c.date}-${c.doctorId ?? 'all'}`}>
              <strong>{dayName(c.date)}</strong>
              <span>{nameOf(c.doctorId)}</span>
              <span className="muted">{c.reason}</span>
              <button type="button" onClick={() => reopen.mutate(c)} disabled={reopen.isPending} aria-label={`Reopen ${dayName(c.date)} for ${nameOf(c.doctorId)}`}>
                Reopen
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        aria-label="Close a date"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          close.mutate();
        }}
      >
        <label>
          Date
          <input type="date" name="closeDate" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label>
          For
          <select name="closeFor" value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">Every doctor (holiday)</option>
            {doctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} (leave)
              </option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <input name="closeReason" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={200} placeholder="e.g. Holi, conference" />
        </label>
        <button type="submit" className="primary" disabled={close.isPending}>
          Close date
        </button>
      </form>
      <NoticeLine notice={notice} testId="closed-notice" />
      {toCall.length > 0 && (
        <ul className="to-call" aria-label="Patients to call">
          {toCall.map((t) => (
            <li key={t.number}>
              <strong>{t.number}</strong> {t.name}
              {t.phone && <> · {t.phone}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
