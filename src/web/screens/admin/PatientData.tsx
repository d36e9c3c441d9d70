// Patient data: an admin erases one patient's name, phone and id at once (a patient's request, a
// mistake), by phone or by hospital patient id, after confirming. Tokens, histories and reports stay;
// staff then see the patient as erased. Older data goes by itself after the retention days.

import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { sentence } from '../../access.ts';
import { api, ApiError, errorText } from '../../api.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { NoticeLine, type Notice } from '../../components/Notice.tsx';

type By = 'phone' | 'patientId';
const BY_LABEL: Record<By, string> = { phone: 'Phone number', patientId: 'Hospital patient id' };

export function PatientDataAdmin() {
  const id = useId();
  const [by, setBy] = useState<By>('phone');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirming, setConfirming] = useState(false);

  const erase = useMutation({
    mutationFn: () => api.erasePatient(by === 'phone' ? { phone: value.trim() } : { patientId: value.trim() }),
    onSuccess: ({ erased }) => {
      setNotice({
        kind: 'ok',
        headline: erased === 0 ? `No patient data found for ${value.trim()}: nothing was erased.` : `Erased the patient's name, phone and id from ${erased} token${erased === 1 ? '' : 's'}.`,
      });
      setValue('');
    },
    onError: (err) => {
      // A refusal about the field stands next to it; anything else above the form.
      if (err instanceof ApiError && err.problem.code === 'VALIDATION_FAILED') setFieldError(by === 'phone' ? 'This is not a phone number: check the digits.' : sentence(errorText(err)));
      else setNotice({ kind: 'error', headline: sentence(errorText(err)) });
    },
    onSettled: () => setConfirming(false),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (value.trim() === '') {
      setFieldError(by === 'phone' ? 'Type the phone number.' : 'Type the patient id.');
      return;
    }
    setFieldError(null);
    setConfirming(true);
  };

  return (
    <div className="admin admin-one">
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Erase a patient's data</h2>
        <p className="muted">
          Removes the name, phone and patient id kept for every token of one patient, at once. The tokens themselves, their history and the reports stay.
          Patient data of older days is erased by itself after the retention period.
        </p>
        <NoticeLine notice={notice} testId="erase-notice" />
        <form className="stack-form" onSubmit={submit} noValidate>
          <fieldset className="doctor-choice">
            <legend>Find the patient by</legend>
            {(['phone', 'patientId'] as const).map((b) => (
              <label key={b} className="check">
                <input
                  type="radio"
                  name="eraseBy"
                  value={b}
                  checked={by === b}
                  onChange={() => {
                    setBy(b);
                    setFieldError(null);
                  }}
                />
                {BY_LABEL[b]}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-value`}>{BY_LABEL[by]}</label>
          <input
            id={`${id}-value`}
            name="eraseValue"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            inputMode={by === 'phone' ? 'tel' : 'text'}
            autoComplete="off"
            maxLength={100}
            aria-invalid={fieldError !== null}
            aria-describedby={fieldError === null ? undefined : `${id}-error`}
          />
          {fieldError !== null && (
            <p id={`${id}-error`} className="error" data-testid="erase-field-error">
              {fieldError}
            </p>
          )}
          <button type="submit" className="danger" disabled={erase.isPending}>
            Erase patient data…
          </button>
        </form>
      </section>
      {confirming && (
        <ConfirmDialog
          title="Erase this patient's data?"
          message={`The name, phone and patient id of every token of ${BY_LABEL[by].toLowerCase()} ${value.trim()} are erased for good. Staff will see "patient data erased" on those tokens. This cannot be undone.`}
          confirmLabel="Erase for good"
          busy={erase.isPending}
          onConfirm={() => erase.mutate()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
