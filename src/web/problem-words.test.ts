// The API's refusals as staff read them: sentences without ids, pointers or API names, and field
// errors next to their fields.

import { describe, expect, it } from 'vitest';
import type { Problem } from './api.ts';
import { fieldErrors, problemWords } from './problem-words.ts';

const at = (hhmm: string) => `2026-03-10T${hhmm}:00+05:30`;
const problem = (code: string, detail: string, extra: Record<string, unknown> = {}): Problem => ({ type: 'urn:x', title: 't', status: 409, code, detail, ...extra });

describe('a refusal in words', () => {
  it('names the slot a new one overlaps by its times, not by its id', () => {
    const p = problem('SLOT_OVERLAP', 'the doctor already has slot 01a21dcb-5c1e-4c55-9a57-0c7d1f9e2b11 in that time');
    const words = problemWords(p, {
      doctorName: 'Dr. Rao',
      slots: [
        { start: at('08:00'), end: at('09:00') },
        { start: at('09:00'), end: at('10:00') },
      ],
      requested: { start: at('09:30'), end: at('10:30') },
    });
    expect(words).toBe('Dr. Rao already has a slot from 09:00 to 10:00 that day. Choose times after it or before it.');
    expect(problemWords(p)).toBe('The doctor already has a slot at that time that day. Choose other times.');
  });

  it('says what a token is now and what could not be done to it', () => {
    expect(problemWords(problem('INVALID_TRANSITION', 'checkIn is not possible for GM-004: it is CANCELLED'))).toBe(
      'GM-004 is cancelled now, so it cannot be checked in. The page shows where it stands.',
    );
    expect(problemWords(problem('INVALID_TRANSITION', 'noShow is not possible for PD-012: it is COMPLETED'))).toBe(
      'PD-012 is seen now, so it cannot be marked as no-show. The page shows where it stands.',
    );
  });

  it('names the token a patient already holds, with its status in words', () => {
    expect(problemWords(problem('DUPLICATE_TOKEN', 'the patient already holds GM-006 (ALLOCATED) with this doctor that day'))).toBe(
      'This patient already has GM-006 (Booked) with this doctor that day. Find it with the search box instead of issuing another.',
    );
  });

  it('turns a field pointer into the field’s name', () => {
    const p = problem('VALIDATION_FAILED', 'body /patient/phone: must be a phone number of digits, spaces and dashes', {
      status: 400,
      errors: [{ in: 'body', path: '/patient/phone', message: 'must be a phone number of digits, spaces and dashes' }],
    });
    expect(problemWords(p)).toBe('Phone must be a phone number of digits, spaces and dashes.');
    expect(problemWords(p)).not.toMatch(/\/patient|body/);
  });

  it('keeps a sentence the server wrote for people, and drops the API name in brackets', () => {
    expect(problemWords(problem('NO_OPEN_SLOT', 'Dr Asha Rao has no OPD left on 2 Dec.'))).toBe('Dr Asha Rao has no OPD left on 2 Dec.');
    expect(problemWords(problem('FORBIDDEN', 'A front-desk account cannot change doctors or their policy. Ask an administrator if you need to. [manageDoctors]'))).toBe(
      'A front-desk account cannot change doctors or their policy. Ask an administrator if you need to.',
    );
  });

  it('never shows a detail with an id, a pointer or JSON in it, even for a code it does not know', () => {
    expect(problemWords(problem('SOMETHING_NEW', 'no token 3f1c2a9e-0000-4000-8000-000000000000'))).toBe('The server refused this. Try again, or tell the administrator.');
    expect(problemWords(problem('NOT_FOUND', 'no slot 3f1c2a9e-0000-4000-8000-000000000000 in this doctor-day'))).not.toMatch(/3f1c/);
    expect(problemWords(problem('SOMETHING_NEW', 'The ward is closed today.'))).toBe('The ward is closed today.');
    expect(problemWords(problem('NOT_FOUND', 'no doctor no-such-doctor'))).toBe('That doctor is not there: the address may be wrong, or it was removed.');
    expect(problemWords(problem('NOT_FOUND', 'There is no route GET /api/tokens.'))).toBe('This server does not offer that yet. It may need an update: tell the administrator.');
  });

  it('says whether an outage may have saved the change', () => {
    expect(problemWords(problem('DATABASE_UNAVAILABLE', 'x', { outcome: 'unknown' }))).toMatch(/may have been done/);
    expect(problemWords(problem('DATABASE_UNAVAILABLE', 'x', { outcome: 'not-committed' }))).toMatch(/nothing was changed/);
  });
});

describe('field errors stand next to their field', () => {
  const fields = { '/patient/name': 'patientName', '/patient/phone': 'phone', '/patient/id': 'patientId' };

  it('maps each pointer the API names to the form field, first message per field', () => {
    const p = problem('VALIDATION_FAILED', 'body /patient/phone: …', {
      status: 400,
      errors: [
        { in: 'body', path: '/patient/phone', message: 'is not a valid phone number' },
        { in: 'body', path: '/patient/name', message: 'Too big: expected string to have <=200 characters' },
        { in: 'body', path: '/patient/phone', message: 'second message' },
        { in: 'body', path: '/flexible', message: 'expected boolean' },
      ],
    });
    expect(fieldErrors(p, fields)).toEqual({ phone: 'Phone is not a valid phone number.', patientName: 'Patient name is too long.' });
  });

  it('has none for a refusal that is not about the fields', () => {
    expect(fieldErrors(problem('DUPLICATE_TOKEN', 'the patient already holds GM-006 (ALLOCATED)'), fields)).toEqual({});
  });
});
