import { describe, expect, it } from 'vitest';
import { personalDataErased } from './patient-desk.ts';

describe("12: the patient's page after erasure", () => {
  it('a token answered with no patient (erased) counts as erased; a named one does not', () => {
    expect(personalDataErased({ patient: { name: 'Sunita Devi' } })).toBe(false);
    expect(personalDataErased({ patient: { name: 'Sunita Devi', phone: '+919845011111' } })).toBe(false);
    expect(personalDataErased({ patient: null, patientErased: true })).toBe(true);
    expect(personalDataErased({ patient: null })).toBe(true);
  });
});
