import { describe, expect, it } from 'vitest';
import { personalDataErased } from './patient-desk.ts';

describe("12: the patient's page after erasure", () => {
  it('a patient marked erased, or with no name left, counts as erased; a named one does not', () => {
    expect(personalDataErased({ patient: { name: 'Sunita Devi' } })).toBe(false);
    expect(personalDataErased({ patient: { name: 'Sunita Devi', phone: '+919845011111' } })).toBe(false);
    expect(personalDataErased({ patient: { name: '', erased: true } as never })).toBe(true);
    expect(personalDataErased({ patient: { name: 'Sunita Devi', erased: true } as never })).toBe(true);
    expect(personalDataErased({ patient: { name: '' } })).toBe(true);
  });
});
