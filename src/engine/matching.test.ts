// SPEC 7 duplicates: a patient (by id, else phone) holds one live token per doctor-day. Patient ids
// compare trimmed and case-insensitive; phones compare as the E.164 numbers the service writes (the
// engine compares them as given: see patientKey).
import { describe, expect, it } from 'vitest';
import { patientKey } from './doctor-day.ts';
import { Desk } from './test-kit.ts';
import type { Patient } from './types.ts';

function issue(d: Desk, tokenId: string, patient: Patient) {
  return d.run({ type: 'issueToken', tokenId, source: 'WALKIN', patient });
}

describe('SPEC 7 duplicate matching', () => {
  it('patient ids compare trimmed and case-insensitive', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    expect(issue(d, 'a', { name: 'A', id: 'MRN-0042' }).ok).toBe(true);
    for (const [i, id] of [' MRN-0042', 'mrn-0042', 'Mrn-0042  '].entries()) {
      expect(issue(d, `x${i}`, { name: 'X', id })).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'a' });
    }
    expect(issue(d, 'b', { name: 'B', id: 'MRN-0043' }).ok).toBe(true);
  });

  it('the id decides when there is one; a blank id falls back to the phone', () => {
    expect(patientKey({ id: '  Ab1 ', phone: '+919845011111' })).toBe('id:ab1');
    expect(patientKey({ phone: '+919845011111' })).toBe('phone:+919845011111');
    expect(patientKey({ id: '   ', phone: '+919845011111' })).toBe('phone:+919845011111');
    expect(patientKey({})).toBeNull();
  });

  it('the same E.164 phone is one patient; after the token is finished the patient may come again', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    expect(issue(d, 'a', { name: 'A', phone: '+919845011111' }).ok).toBe(true);
    expect(issue(d, 'b', { name: 'B', phone: '+919845011111' })).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'a' });
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(issue(d, 'b', { name: 'B', phone: '+919845011111' }).ok).toBe(true);
  });

  it('the index follows the same rule when a token with a differently written id finishes', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    issue(d, 'a', { name: 'A', id: ' mrn-7 ' });
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(d.day.livePatients.size).toBe(0);
    expect(issue(d, 'b', { name: 'B', id: 'MRN-7' }).ok).toBe(true);
    expect(d.replayMatches()).toBe(true);
  });
});
