// A doctor's code when none is given (the prefix of token numbers, SPEC 1: 2–4 capital letters):
// the department's initials, then longer variants until one is free. Expected lists written by hand.
import { describe, expect, it } from 'vitest';
import { doctorCodeCandidates } from './doctor-code.ts';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

describe('SPEC 1: doctor codes from the department', () => {
  it('General Medicine, Dr. Meera Iyer: GM, then GM + her initials, GMA…GMZ, then GMAA…GMZZ, each once', () => {
    const codes = doctorCodeCandidates('General Medicine', 'Dr. Meera Iyer');
    expect(codes.slice(0, 2)).toEqual(['GM', 'GMMI']);
    expect(codes.slice(2, 28)).toEqual(LETTERS.map((c) => `GM${c}`));
    expect(codes.slice(28, 31)).toEqual(['GMAA', 'GMAB', 'GMAC']);
    expect(codes.at(-1)).toBe('GMZZ');
    // GM, GMMI, 26 of three letters, 26 × 26 of four less GMMI (already second): 703, no repeats.
    expect(codes).toHaveLength(703);
    expect(new Set(codes).size).toBe(703);
    expect(codes.every((c) => /^[A-Z]{2,4}$/.test(c))).toBe(true);
  });

  it('case and punctuation do not matter: "general  medicine (OPD)" gives GMO', () => {
    expect(doctorCodeCandidates('general  medicine (OPD)', 'Dr Rao').slice(0, 2)).toEqual(['GMO', 'GMOR']);
  });

  it('a one-word department gives its first two letters (Orthopedics → OR)', () => {
    expect(doctorCodeCandidates('Orthopedics', 'Dr Rao').slice(0, 4)).toEqual(['OR', 'ORR', 'ORA', 'ORB']);
  });

  it('at most three initials, and then four-letter codes only: Ear Nose Throat Clinic → ENT, ENTK, ENTA…ENTZ, ENAA…', () => {
    const codes = doctorCodeCandidates('Ear Nose Throat Clinic', 'Dr. K');
    expect(codes.slice(0, 2)).toEqual(['ENT', 'ENTK']);
    expect(codes.slice(2, 27)).toEqual(LETTERS.filter((c) => c !== 'K').map((c) => `ENT${c}`));
    expect(codes.slice(27, 29)).toEqual(['ENAA', 'ENAB']);
    // ENT, ENTA…ENTZ (26, ENTK among them), then EN + two letters less the 26 ENT… already listed.
    expect(codes).toHaveLength(1 + 26 + 676 - 26);
  });

  it('a department without letters falls back to the doctor’s name; without either, XX', () => {
    expect(doctorCodeCandidates('123', 'Dr. Asha Rao').slice(0, 3)).toEqual(['AS', 'ASAR', 'ASA']);
    expect(doctorCodeCandidates('42', 'Dr.').slice(0, 3)).toEqual(['XX', 'XXA', 'XXB']);
  });

  it('a one-letter department is padded with X to two letters (X → XX; K, from the name, → KX)', () => {
    expect(doctorCodeCandidates('X', 'Dr Rao').slice(0, 3)).toEqual(['XX', 'XXR', 'XXA']);
    expect(doctorCodeCandidates('42', 'Dr. K').slice(0, 3)).toEqual(['KX', 'KXK', 'KXA']);
    expect(doctorCodeCandidates('42', 'Dr. K Rao').slice(0, 3)).toEqual(['KR', 'KRKR', 'KRA']);
  });

  it('the code with the initials has at most four letters (ENT + K L → ENTK)', () => {
    expect(doctorCodeCandidates('Ear Nose Throat', 'Dr. K L').slice(0, 3)).toEqual(['ENT', 'ENTK', 'ENTA']);
  });
});
