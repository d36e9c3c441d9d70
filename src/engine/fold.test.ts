// The fold (doctor-day.ts) beyond what the rule tests reach: how a patient is recognised, and a log
// that names a token the doctor-day never issued (found by mutation testing, docs/testing.md).
import { describe, expect, it } from 'vitest';
import { apply, openDoctorDay } from './doctor-day.ts';
import { Desk, DATE, at } from '../../test/kits/engine/test-kit.ts';

describe('SPEC 7: a patient without an id is recognised by the phone itself', () => {
  it('two patients with different phones and no id each get a token; the same phone again is a duplicate', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 5);
    expect(d.issue('a', 'WALKIN', { phone: '98450' }).ok).toBe(true);
    expect(d.issue('b', 'WALKIN', { phone: '77777' }).ok).toBe(true);
    expect(d.issue('c', 'WALKIN', { phone: '77777' })).toMatchObject({ ok: false, code: 'DUPLICATE_TOKEN', tokenId: 'b' });
  });

  it('an id and a phone with the same digits are two patients', () => {
    const d = new Desk().slot('s9', '09:00', '10:00', 5);
    expect(d.issue('a', 'WALKIN', { patientId: '98450' }).ok).toBe(true);
    expect(d.issue('b', 'WALKIN', { phone: '98450' }).ok).toBe(true);
    expect([d.token('a').patientKey, d.token('b').patientKey]).toEqual(['id:98450', 'phone:98450']);
  });
});

describe('SPEC 8: a log naming a token the doctor-day never issued is refused, not folded', () => {
  it('applying TokenCheckedIn for an unknown token throws, naming the token', () => {
    const day = openDoctorDay({ doctorId: 'doc-1', date: DATE, code: 'GM' });
    expect(() => apply(day, { type: 'TokenCheckedIn', at: at('09:00'), tokenId: 'ghost' })).toThrow(new Error('event names unknown token ghost'));
    expect(day.tokens.size).toBe(0);
  });
});
