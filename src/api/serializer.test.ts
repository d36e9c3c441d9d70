// The compiled serializers write what zod's would: the same fields and values, nothing the contract
// does not name, and a refusal (an error, hence a 500) when a required field is missing.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Doctor, HistoryEvent, IssuedToken } from './schemas.ts';
import { compiledSerializer } from './serializer.ts';

const token = {
  id: '019a0000-0000-7000-8000-000000000001',
  number: 'GM-001',
  doctorId: '019a0000-0000-7000-8000-0000000000d1',
  slotId: null,
  source: 'ONLINE',
  status: 'WAITLISTED',
  patient: { name: 'Asha Rao', phone: '+919876543210' },
  issuedAt: '2026-03-10T09:00:00+05:30',
  estimatedAt: null,
  bumps: 0,
  skips: 1,
  publicUrl: '/t/abc',
};

/** zod's answer, as fastify-type-provider-zod wrote it. */
const viaZod = (schema: z.ZodType, value: unknown) => JSON.parse(JSON.stringify(z.encode(schema, value as never))) as unknown;

function compiled(schema: z.ZodType): (value: unknown) => string {
  const serialize = compiledSerializer(schema);
  if (serialize === null) throw new Error('expected a compiled serializer');
  return serialize;
}

describe('compiled response serializers', () => {
  it('write a booking as zod does, in all its shapes (seated, bumped, erased, transferred)', () => {
    const serialize = compiled(IssuedToken);
    const seated = { ...token, slotId: '019a0000-0000-7000-8000-0000000000s1', status: 'ALLOCATED', estimatedAt: '2026-03-10T09:12:00+05:30', bumped: null };
    const bumping = {
      ...token,
      bumped: { ...token, id: 'other', patient: null, patientErased: true, transferredTo: { tokenId: 'x', number: 'RA-002', doctorId: 'd2', date: '2026-03-11' } },
      transferredFrom: { tokenId: 'y', number: 'RA-001', doctorId: 'd2', date: '2026-03-10' },
    };
    for (const answer of [seated, bumping]) expect(JSON.parse(serialize(answer))).toEqual(viaZod(IssuedToken, answer));
  });

  it('leave out whatever the contract does not name, at any depth', () => {
    const answer = { ...token, bumped: null, secret: 'x', patient: { name: 'Asha Rao', phone: '+919876543210', nameFolded: 'asha rao' } };
    const text = compiled(IssuedToken)(answer);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('nameFolded');
    expect(JSON.parse(text)).toEqual(viaZod(IssuedToken, answer));
  });

  it("write a record's values (a policy's allowance) and nulls", () => {
    const doctor = { id: 'd1', name: 'Dr A', department: 'General Medicine', room: null, code: 'GM', policy: { allowance: { ONLINE: 3, WALKIN: -1 }, agingMinutes: null, maxBumps: 2 } };
    const text = compiled(Doctor)(doctor);
    expect(JSON.parse(text)).toEqual({ ...doctor });
    expect(JSON.parse(text)).toEqual(viaZod(Doctor, doctor));
  });

  it('refuse an answer without a required field, as zod does', () => {
    const { number: _missing, ...partial } = token;
    expect(() => z.encode(IssuedToken, { ...partial, bumped: null } as never)).toThrow();
    expect(() => compiled(IssuedToken)({ ...partial, bumped: null })).toThrow(/number/);
  });

  it('leave a union it cannot write exactly to zod', () => {
    expect(compiledSerializer(HistoryEvent)).toBeNull();
  });
});
