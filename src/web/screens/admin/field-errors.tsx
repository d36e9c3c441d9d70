// Errors of the admin's account forms (accounts, API keys, display links), each next to its field:
// the field says it is wrong (aria-invalid) and names its error (aria-describedby), in words for
// people. The server's refusal is split the same way: a field it names gets its sentence there, the
// rest stands under the form. Nothing here shows an id.

import { useState, type InputHTMLAttributes } from 'react';
import { ApiError, errorText } from '../../api.ts';
import { sentence } from '../../access.ts';
import { fieldErrors } from '../../problem-words.ts';

export type Errors<F extends string> = Partial<Record<F, string>>;

/** The props of a field with its error: `aria-invalid` and `aria-describedby` only while it has one. */
export function invalidProps(id: string, text: string | undefined): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return text ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
}

/** The error of the field `id`, standing next to it. */
export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <span className="field-error" id={`${id}-error`}>
      {text}
    </span>
  ) : null;
}

/**
 * A labelled input with its error next to it: `field` names it in the form's errors, which forget
 * its error when it changes. Every other prop goes to the input.
 */
export function TextField<F extends string>({
  label,
  hint,
  id,
  form,
  field,
  onValue,
  ...input
}: {
  label: string;
  hint?: string;
  id: string;
  form: { fields: Errors<F>; edited(field: F): void };
  field: F;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'form'>) {
  const error = form.fields[field];
  return (
    <label>
      {label}
      {hint !== undefined && <> <span className="optional">{hint}</span></>}
      <input
        id={id}
        {...input}
        onChange={(e) => {
          onValue(e.target.value);
          form.edited(field);
        }}
        {...invalidProps(id, error)}
      />
      <FieldError id={id} text={error} />
    </label>
  );
}

/**
 * A form's errors: the fields' own, and one sentence for the form. `pointers` maps the request's
 * JSON pointers to the form's fields; `codes` a refusal code to the field it is about
 * (USERNAME_TAKEN → username).
 */
export function useFormErrors<F extends string>(pointers: Readonly<Record<string, F>>, codes: Readonly<Record<string, F>> = {}) {
  const [fields, setFields] = useState<Errors<F>>({});
  const [general, setGeneral] = useState<string | null>(null);
  return {
    fields,
    general,
    /** The errors found before sending (a field each); true when there are none. */
    check(found: Errors<F>): boolean {
      setFields(found);
      setGeneral(null);
      return Object.keys(found).length === 0;
    },
    /** The server's refusal, by field where it names one. */
    refused(err: unknown): void {
      if (err instanceof ApiError) {
        const byField = fieldErrors(err.problem, pointers) as Errors<F>;
        const field = codes[err.problem.code];
        if (field !== undefined) byField[field] = sentence(errorText(err));
        if (Object.keys(byField).length > 0) {
          setFields(byField);
          setGeneral(null);
          return;
        }
      }
      setFields({});
      setGeneral(sentence(errorText(err)));
    },
    /** A field changed: its error goes. */
    edited(field: F): void {
      setFields((f) => {
        if (f[field] === undefined) return f;
        const rest = { ...f };
        delete rest[field];
        return rest;
      });
    },
    clear(): void {
      setFields({});
      setGeneral(null);
    },
  };
}

/** The sentence of a refusal that names no field, under the form. */
export function FormError({ text }: { text: string | null }) {
  return (
    <div aria-live="polite">
      {text && (
        <p className="outcome outcome-error" role="alert">
          {text}
        </p>
      )}
    </div>
  );
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

/** A username's problem before it is sent, in words (the server's rule). */
export function usernameProblem(username: string): string | undefined {
  if (username.trim() === '') return 'Username is needed.';
  return USERNAME.test(username.trim()) ? undefined : 'Username needs 2 to 64 letters, digits or . _ - @, starting with a letter or digit.';
}
