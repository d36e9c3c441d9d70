// Transferring a token to another doctor or day (a wrong doctor fixed at the desk): a small dialog
// with the doctor, the date and an optional slot. Enter on any field transfers; the answer is said in
// words ("GM-007 moved to Dr. Rao as RA-012, 10:00–11:00"), and a refusal stands next to the field
// it is about (or under the form when it is about the token itself).

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, errorText, newRequestKey, type Doctor, type Token, type TransferTokenBody } from '../api.ts';
import { dayMonth, patientName, seats, slotLabel } from '../format.ts';
import { useSchedule } from '../hooks.ts';
import { Dialog } from './Dialog.tsx';
import type { Notice } from './Notice.tsx';

type Field = 'doctorId' | 'date' | 'slotId';

/** The refusal's words by field (`errors[].path` of the problem), and what belongs to no field. */
function fieldErrors(err: unknown): { fields: Partial<Record<Field, string>>; general: string | null } {
  if (!(err instanceof ApiError)) return { fields: {}, general: err ? errorText(err) : null };
  const fields: Partial<Record<Field, string>> = {};
  const errors = Array.isArray(err.problem.errors) ? (err.problem.errors as { path?: string; message?: string }[]) : [];
  for (const e of errors) {
    const field = e.path?.replace(/^\//, '') as Field | undefined;
    if (field === 'doctorId' || field === 'date' || field === 'slotId') fields[field] = err.problem.detail;
  }
  // Whole-request refusals that are about the chosen doctor-day stand next to its fields too.
  if (Object.keys(fields).length === 0 && err.problem.code === 'NO_OPEN_SLOT') fields.date = err.problem.detail;
  if (Object.keys(fields).length === 0 && err.problem.code === 'SLOT_ENDED') fields.slotId = err.problem.detail;
  return { fields, general: Object.keys(fields).length === 0 ? err.problem.detail : null };
}

export interface TransferDialogProps {
  token: Token;
  /** The token's own day (YYYY-MM-DD): the default date of the transfer. */
  date: string;
  doctors: Doctor[];
  onDone: (notice: Notice) => void;
  onClose: () => void;
}

export function TransferDialog({ token, date: fromDate, doctors, onDone, onClose }: TransferDialogProps) {
  const queryClient = useQueryClient();
  // The usual fix is another doctor the same day: the first other doctor is chosen already.
  const [doctorId, setDoctorId] = useState(() => doctors.find((d) => d.id !== token.doctorId)?.id ?? token.doctorId);
  const [date, setDate] = useState(fromDate);
  const [slotId, setSlotId] = useState('');
  const target = useSchedule(doctorId, date);
  const doctor = doctors.find((d) => d.id === doctorId);
  const form = useRef<HTMLFormElement>(null);
  /** The request that got no answer yet: sent again unchanged, it keeps its Idempotency-Key. */
  const unanswered = useRef<{ key: string; body: string } | null>(null);

  const move = useMutation({
    mutationFn: async (body: TransferTokenBody) => {
      const text = JSON.stringify(body);
      if (unanswered.current?.body !== text) unanswered.current = { key: newRequestKey(), body: text };
      const moved = await api.transferToken(token.id, body, unanswered.current.key);
      const day = await api.schedule(moved.doctorId, body.date ?? date);
      return { moved, day };
    },
    onSuccess: ({ moved, day }) => {
      unanswered.current = null;
      const slot = day.slots.find((s) => s.id === moved.slotId);
      const where = moved.status === 'WAITLISTED' || !slot ? 'on the waitlist' : slotLabel(slot);
      const when = day.date === fromDate ? '' : ` on ${dayMonth(day.date)}`;
      const here = moved.status === 'CHECKED_IN' ? ' (checked in)' : '';
      onDone({ kind: 'ok', headline: `${token.number} moved to ${doctor?.name ?? 'the doctor'} as ${moved.number}, ${where}${when}${here}` });
      void queryClient.invalidateQueries({ queryKey: ['doctor', token.doctorId] });
      void queryClient.invalidateQueries({ queryKey: ['doctor', moved.doctorId] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.status > 0 && err.problem.status !== 503) unanswered.current = null;
    },
  });
  const { fields, general } = fieldErrors(move.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: TransferTokenBody = { doctorId };
    if (slotId) body.slotId = slotId;
    else body.date = date;
    move.mutate(body);
  };
  // Enter on a list (doctor, slot) transfers too, as it does in a text field.
  const enterSubmits = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
      e.preventDefault();
      form.current?.requestSubmit();
    }
  };
  const errorOf = (field: Field) =>
    fields[field] ? (
      <span className="field-error" id={`transfer-${field}-error`} role="alert">
        {fields[field]}
      </span>
    ) : null;
  const described = (field: Field) => (fields[field] ? { 'aria-invalid': true, 'aria-describedby': `transfer-${field}-error` } : {});

  return (
    <Dialog
      title={`Transfer ${token.number}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Keep it here
          </button>
          <button type="submit" form="transfer-form" className="primary" disabled={move.isPending}>
            {move.isPending ? 'Transferring…' : 'Transfer'}
          </button>
        </>
      }
    >
      <p className="muted">
        {patientName(token)} · {token.number}. The patient gets a new token with the doctor you choose; this one is cancelled.
      </p>
      <form id="transfer-form" ref={form} className="transfer-form" onSubmit={submit} onKeyDown={enterSubmits}>
        <label>
          Doctor
          <select
            name="transferDoctor"
            value={doctorId}
            onChange={(e) => {
              setDoctorId(e.target.value);
              setSlotId('');
            }}
            autoFocus
            {...described('doctorId')}
          >
            {doctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} · {d.department} ({d.code})
              </option>
            ))}
          </select>
          {errorOf('doctorId')}
        </label>
        <label>
          Date
          <input
            type="date"
            name="transferDate"
            value={date}
            required
            onChange={(e) => {
              setDate(e.target.value);
              setSlotId('');
            }}
            {...described('date')}
          />
          {errorOf('date')}
        </label>
        <label>
          Slot <span className="optional">(optional)</span>
          <select name="transferSlot" value={slotId} onChange={(e) => setSlotId(e.target.value)} {...described('slotId')}>
            <option value="">First slot with room</option>
            {target.data?.slots.map((s) => (
              <option key={s.id} value={s.id}>
                {slotLabel(s)} · {seats(s).free} free
              </option>
            ))}
          </select>
          {target.data && target.data.slots.length === 0 && <span className="muted">No OPD that day.</span>}
          {errorOf('slotId')}
        </label>
      </form>
      {general && (
        <p className="error" role="alert" data-testid="transfer-error">
          {general}
        </p>
      )}
    </Dialog>
  );
}
