// Issuing a token at the desk. The answer is said plainly ("Walk-in GM-012 · 10:00–11:00 · expected
// 10:24", "GM-004 was moved to 10:00–11:00 to make room"); a refusal is said in staff's words, a
// field's next to that field. After each issue the form is ready for the next walk-in: source back to
// Walk-in, "patient is here" ticked, the cursor in the name. A request keeps its Idempotency-Key until
// the server has answered it, so pressing "Issue" again after a network failure cannot book the
// patient twice; a changed form is a new request with a new key. When the session ends while the
// receptionist types, the fields are kept (drafts.ts) and come back after signing in again.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SOURCES } from '../../shared/vocabulary.ts';
import { api, ApiError, errorText, newRequestKey, type IssueTokenBody, type Schedule, type Source } from '../api.ts';
import { issueMessage, SOURCE_LABEL, seats, slotLabel } from '../format.ts';
import { fieldErrors } from '../problem-words.ts';
import { useKeptDraft, useRestoredDraft } from '../drafts.ts';
import { keys } from '../live.tsx';
import type { Notice } from './Notice.tsx';
import { PrintLastSlipButton } from '../slip/PrintButtons.tsx';
import { rememberIssued } from '../slip/slip.ts';

/** The form's fields, as kept across a sign-in. */
interface IssueDraft {
  doctorId: string;
  source: Source;
  name: string;
  patientId: string;
  phone: string;
  slotId: string;
  flexible: boolean;
  arrived: boolean;
}

/** Walk-ins and emergencies stand at the desk when their token is issued. */
const arrivesInPerson = (source: Source) => source === 'WALKIN' || source === 'EMERGENCY';

/** The form's first field: the desk's `n` shortcut focuses it. */
export const ISSUE_FIRST_FIELD_ID = 'issue-source';

/** The request's fields (JSON pointers, as a refusal names them) → the form's fields. */
const FIELDS = { '/patient/name': 'patientName', '/patient/phone': 'phone', '/patient/id': 'patientId', '/source': 'source', '/slotId': 'slot' } as const;
type Field = (typeof FIELDS)[keyof typeof FIELDS];

/** A field's refusal, next to it (its id is the field's aria-describedby). */
function FieldError({ field, errors }: { field: Field; errors: Partial<Record<Field, string>> }) {
  const text = errors[field];
  return text ? (
    <span className="field-error" id={`issue-${field}-error`}>
      {text}
    </span>
  ) : null;
}

export function IssueForm({ schedule, date, onOutcome }: { schedule: Schedule; date: string | undefined; onOutcome: (o: Notice) => void }) {
  const queryClient = useQueryClient();
  const saved = useRestoredDraft<IssueDraft>('issue');
  // A draft of another doctor's form is not this one's (its slot would not exist here).
  const draft = saved?.doctorId === schedule.doctor.id ? saved : undefined;
  const [source, setSource] = useState<Source>(draft?.source ?? 'WALKIN');
  const [name, setName] = useState(draft?.name ?? '');
  const [patientId, setPatientId] = useState(draft?.patientId ?? '');
  const [phone, setPhone] = useState(draft?.phone ?? '');
  const [slotId, setSlotId] = useState(draft?.slotId && schedule.slots.some((s) => s.id === draft.slotId) ? draft.slotId : '');
  const [flexible, setFlexible] = useState(draft?.flexible ?? false);
  /** "Patient is here": checked by default for those who come to the desk in person (walk-ins, emergencies). */
  const [arrived, setArrived] = useState(draft?.arrived ?? arrivesInPerson(draft?.source ?? 'WALKIN'));
  const typed = name.trim() !== '' || patientId.trim() !== '' || phone.trim() !== '';
  useKeptDraft<IssueDraft>('issue', typed ? { doctorId: schedule.doctor.id, source, name, patientId, phone, slotId, flexible, arrived } : undefined);
  const restored = draft !== undefined;
  useEffect(() => {
    if (restored) onOutcome({ kind: 'ok', headline: 'Signed in again: the form is as you left it. Check it, then press Issue token.' });
    // once, when the form first shows a kept draft
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [restored]);
  /** The request that got no answer yet: sent again unchanged, it keeps its key. */
  const unanswered = useRef<{ key: string; body: string } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  /** A field changed: its refusal no longer applies. */
  const edited = (field: Field) => setErrors((e) => (e[field] === undefined ? e : { ...e, [field]: undefined }));
  const described = (field: Field) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `issue-${field}-error` } : {});

  const issue = useMutation({
    mutationFn: async (body: IssueTokenBody) => {
      const text = JSON.stringify(body);
      if (unanswered.current?.body !== text) unanswered.current = { key: newRequestKey(), body: text };
      const issued = await api.issueToken(body, unanswered.current.key);
      // The doctor-day after the issue: the waitlist position and the slots' times.
      const fresh = await api.schedule(body.doctorId, schedule.date);
      queryClient.setQueryData(keys.schedule(body.doctorId, date), fresh);
      return { issued, fresh };
    },
    onSuccess: ({ issued, fresh }) => {
      unanswered.current = null;
      rememberIssued(issued);
      const { headline, bumped } = issueMessage(issued, fresh);
      onOutcome({ kind: 'ok', headline, detail: bumped });
      setName('');
      setPatientId('');
      setPhone('');
      // Ready for the next patient, who is most often a walk-in standing at the desk: a paid or
      // online token never carries over to them unseen.
      setSource('WALKIN');
      setArrived(true);
      setSlotId('');
      setFlexible(false);
      setErrors({});
      nameInput.current?.focus();
    },
    onError: (err) => {
      // A refusal is an answer: the next attempt is a new request. No answer, or the database away
      // (503: perhaps the token was issued all the same): the next attempt resends the same key,
      // which answers the first booking if there was one.
      const answered = err instanceof ApiError && err.problem.status > 0 && err.problem.status !== 503;
      if (answered) unanswered.current = null;
      setErrors(err instanceof ApiError ? fieldErrors(err.problem, FIELDS) : {});
      const unsure = err instanceof ApiError && err.problem.outcome === 'unknown';
      const again = 'Press Issue token again in a moment (the form is kept): the same request is sent, so the patient never gets two tokens.';
      onOutcome({
        kind: 'error',
        headline: unsure ? 'Perhaps issued' : 'Not issued',
        // The server's words suit a refusal ("already holds GM-004"); an outage needs the desk's own.
        detail: answered
          ? errorText(err, { doctorName: schedule.doctor.name })
          : unsure
            ? `The connection to the database broke while the token was being saved, so it may have been issued. ${again}`
            : err instanceof ApiError && err.problem.status === 503
              ? `The server cannot reach its database just now. ${again}`
              : `The server did not answer. ${again}`,
      });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patient: IssueTokenBody['patient'] = { name: name.trim() };
    if (patientId.trim()) patient.id = patientId.trim();
    if (phone.trim()) patient.phone = phone.trim();
    const body: IssueTokenBody = { doctorId: schedule.doctor.id, source, patient, arrived };
    if (slotId) {
      body.slotId = slotId;
      body.flexible = flexible;
    } else {
      body.date = schedule.date;
    }
    issue.mutate(body);
  };

  return (
    <form className="card issue-form" onSubmit={submit} aria-labelledby="issue-title">
      <h2 id="issue-title">Issue a token</h2>
      <label>
        Source
        <select
          id={ISSUE_FIRST_FIELD_ID}
          value={source}
          onChange={(e) => {
            const next = e.target.value as Source;
            setSource(next);
            setArrived(arrivesInPerson(next));
            edited('source');
          }}
          name="source"
          {...described('source')}
        >
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABEL[s]}
            </option>
          ))}
        </select>
        <FieldError field="source" errors={errors} />
      </label>
      <label>
        Patient name
        <input
          ref={nameInput}
          name="patientName"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            edited('patientName');
          }}
          required
          maxLength={200}
          autoComplete="off"
          {...described('patientName')}
        />
        <FieldError field="patientName" errors={errors} />
      </label>
      <div className="row2">
        <label>
          Patient id <span className="optional">(optional)</span>
          <input
            name="patientId"
            value={patientId}
            onChange={(e) => {
              setPatientId(e.target.value);
              edited('patientId');
            }}
            maxLength={100}
            autoComplete="off"
            {...described('patientId')}
          />
          <FieldError field="patientId" errors={errors} />
        </label>
        <label>
          Phone <span className="optional">(optional)</span>
          <input
            name="phone"
            type="tel"
            value={phone}
            onChange={(e) => {
              setPhone(e.target.value);
              edited('phone');
            }}
            maxLength={24}
            autoComplete="off"
            {...described('phone')}
          />
          <FieldError field="phone" errors={errors} />
        </label>
      </div>
      <label>
        Slot
        <select
          name="slot"
          value={slotId}
          onChange={(e) => {
            setSlotId(e.target.value);
            edited('slot');
          }}
          {...described('slot')}
        >
          <option value="">First slot with room</option>
          {schedule.slots.map((s) => (
            <option key={s.id} value={s.id}>
              {slotLabel(s)} · {seats(s).free} free
            </option>
          ))}
        </select>
        <FieldError field="slot" errors={errors} />
      </label>
      <label className="check">
        <input type="checkbox" name="flexible" checked={flexible} onChange={(e) => setFlexible(e.target.checked)} disabled={!slotId} />
        A later slot will do (flexible)
      </label>
      <label className="check">
        <input type="checkbox" name="arrived" checked={arrived} onChange={(e) => setArrived(e.target.checked)} />
        Patient is here (check in as soon as seated)
      </label>
      <button type="submit" className="primary" disabled={issue.isPending}>
        {issue.isPending ? 'Issuing…' : 'Issue token'}
      </button>
      <PrintLastSlipButton />
    </form>
  );
}
