// Pieces of the admin sections: choosing doctors, choosing a role, and a secret shown once with a
// Copy button.

import { useId, useRef, useState } from 'react';
import { ROLES } from '../../../shared/vocabulary.ts';
import type { DoctorIds, DoctorScope, Role } from '../../access-types.ts';
import type { Doctor } from '../../api.ts';
import { ROLE_LABEL } from '../../access.ts';

/** The doctors of a binding, by name ("All doctors" for all). */
export function doctorNames(ids: DoctorScope, doctors: Doctor[]): string {
  if (ids === 'all') return 'All doctors';
  return ids.map((id) => doctors.find((d) => d.id === id)?.name ?? id).join(', ');
}

/** Does this role take a doctor list (doctor: its own; display: a board's)? admin and desk work for all. */
export const takesDoctors = (role: Role) => role === 'doctor' || role === 'display';

/** The binding to send for a role: all for admin and desk, else the doctors chosen. */
export function bindingFor(role: Role, chosen: DoctorScope): DoctorIds {
  if (!takesDoctors(role)) return 'all';
  if (chosen === 'all') return role === 'doctor' ? [] : 'all';
  return [...chosen];
}

export function RoleSelect({ value, onChange, name, roles = ROLES }: { value: Role; onChange: (r: Role) => void; name: string; roles?: readonly Role[] }) {
  return (
    <label>
      Role
      <select name={name} value={value} onChange={(e) => onChange(e.target.value as Role)}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Checkboxes of the doctors; `allowAll` adds "All doctors" (a board of every doctor). */
export function DoctorChoice({
  doctors,
  value,
  onChange,
  legend,
  allowAll = false,
  id,
  form,
}: {
  doctors: Doctor[];
  value: DoctorScope;
  onChange: (v: DoctorScope) => void;
  legend: string;
  allowAll?: boolean;
  /** With `form`: its `doctors` error stands under the legend, named by the group (`<id>-error`). */
  id?: string;
  /** The form's errors (useFormErrors), whose `doctors` error is forgotten when the choice changes. */
  form?: { fields: { doctors?: string | undefined }; edited(field: 'doctors'): void };
}) {
  const error = form?.fields.doctors;
  const change = (v: DoctorScope) => {
    onChange(v);
    form?.edited('doctors');
  };
  // Without "All doctors" on offer, an identity bound to all (a desk account turning doctor) starts from none.
  const all = allowAll && value === 'all';
  const chosen = value === 'all' ? [] : value;
  return (
    <fieldset className="doctor-choice" id={id} aria-describedby={error && id ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error && id && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
      {allowAll && (
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => change(e.target.checked ? 'all' : [])} />
          All doctors
        </label>
      )}
      {doctors.length === 0 && <p className="empty">No doctors yet: add them under Doctors and slots.</p>}
      {doctors.map((d) => (
        <label key={d.id} className="check">
          <input
            type="checkbox"
            name="doctor"
            value={d.id}
            disabled={all}
            checked={all || chosen.includes(d.id)}
            onChange={(e) => change(e.target.checked ? [...chosen, d.id] : chosen.filter((id) => id !== d.id))}
          />
          {d.name} <span className="muted">({d.code})</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Copies text: the Clipboard API where the page may use it (HTTPS, localhost), else the selection. */
async function copyText(text: string, input: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** A secret (an API key, a board's address) shown once, with Copy and a warning that it goes. */
export function ShownOnce({ title, label, value, onDone, testId }: { title: string; label: string; value: string; onDone: () => void; testId: string }) {
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <div className="shown-once" role="region" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h3 id={`${id}-title`}>{title}</h3>
      <label htmlFor={`${id}-value`}>{label}</label>
      <div className="copy-row">
        {/* a text area, not an input: the whole secret stays in view, wrapped, even on a phone; it takes the
            focus, selected, so that a keyboard user copies it at once */}
        <textarea id={`${id}-value`} ref={input} readOnly value={value} rows={2} autoFocus onFocus={(e) => e.target.select()} spellCheck={false} data-testid={`${testId}-value`} />
        <button type="button" className="primary" onClick={() => void copyText(value, input.current).then(setCopied)}>
          Copy
        </button>
      </div>
      <p className="warning">
        <strong>It will not be shown again.</strong> Copy it now and keep it somewhere safe.
      </p>
      <p aria-live="polite" className="muted">
        {copied === true ? 'Copied.' : copied === false ? 'Could not copy: select the text and copy it yourself.' : ''}
      </p>
      <button type="button" onClick={onDone}>
        Done, hide it
      </button>
    </div>
  );
}
