// SPEC 7 duplicates: a patient holds one live token per doctor-day. The engine compares the opaque
// patient keys the service gives it (a keyed hash of the folded id, else the E.164 phone: see
// src/service/patient-key.ts, where folding is tested) for equality, and nothing else.
import { describe, expect, it } from 'vitest';
import { Desk } from '../../test/kits/engine/test-kit.ts';

function issue(d: Desk, tokenId: string, patientKey?: string) {
  return d.run({ type: 'issueToken', tokenId, source: 'WALKIN', ...(patientKey === undefined ? {} : { patientKey }) });
}

describe('SPEC 7 duplicate matching on patient keys', () => {
  it('the same key is one patient; keys that differ in case or spaces are two (the engine does not fold)', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    expect(issue(d, 'a', 'k-0042').ok).toBe(true);
    expect(issue(d, 'x', 'k-0042')).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'a' });
    expect(issue(d, 'b', 'K-0042').ok).toBe(true);
    expect(issue(d, 'c', ' k-0042').ok).toBe(true);
  });

  it('tokens without a key are never duplicates', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    expect(issue(d, 'a').ok).toBe(true);
    expect(issue(d, 'b').ok).toBe(true);
    expect(d.day.livePatients.size).toBe(0);
  });

  it('after the token is finished the patient may come again', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    expect(issue(d, 'a', 'k1').ok).toBe(true);
    expect(issue(d, 'b', 'k1')).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'a' });
    d.ok({ type: 'cancel', tokenId: 'a' });
    expect(d.day.livePatients.size).toBe(0);
    expect(issue(d, 'b', 'k1').ok).toBe(true);
    expect(d.replayMatches()).toBe(true);
  });

  it('a key is non-empty text of at most 128 code points', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 10);
    const bad = { ok: false, code: 'VALIDATION_FAILED', message: 'patientKey must be a non-empty string of at most 128 characters' };
    expect(issue(d, 'x', '')).toMatchObject(bad);
    expect(issue(d, 'x', 'k'.repeat(129))).toMatchObject(bad);
    expect(issue(d, 'x', 7 as unknown as string)).toMatchObject(bad);
    expect(issue(d, 'x', 'k'.repeat(128)).ok).toBe(true);
    expect(d.token('x').patientKey).toBe('k'.repeat(128));
  });
});
