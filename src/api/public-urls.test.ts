// The one walk of an answer's tokens (public-urls.ts): pages' addresses for those who may see the
// patient, redaction for those who may not, and the desk's own objects never modified.

import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../access/types.ts';
import { shapeTokens } from './public-urls.ts';

const token = (doctorId: string, n: number) => ({ id: `t-${doctorId}-${n}`, doctorId, number: `GM-00${n}`, status: 'ALLOCATED', patient: { name: 'Lakshmi', phone: '+91 98450 00000' } });
const request = (actor: Actor | null, url: string) => ({ actor, url }) as unknown as FastifyRequest;
const patients = { publicUrl: (id: string) => `/t/code-of-${id}` };
const admin: Actor = { kind: 'apiKey', id: 'k', name: 'Script', role: 'admin', doctorIds: 'all' };
const doctor: Actor = { kind: 'account', id: 'm', name: 'Dr Mehta', role: 'doctor', doctorIds: ['doc-a'] };
/** A deep copy, to compare the desk's objects with after the walk. */
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the tokens of an answer', () => {
  it("every token at any depth gets its page's address, for an identity that may see its patient", () => {
    const answer = { ...token('doc-a', 1), bumped: token('doc-a', 2), slots: [{ tokens: [token('doc-a', 3)] }], count: 3 };
    const shaped = shapeTokens(request(admin, '/api/tokens'), answer, patients) as typeof answer & { publicUrl: string };
    expect(shaped.publicUrl).toBe('/t/code-of-t-doc-a-1');
    expect((shaped.bumped as { publicUrl?: string }).publicUrl).toBe('/t/code-of-t-doc-a-2');
    expect((shaped.slots[0]!.tokens[0] as { publicUrl?: string }).publicUrl).toBe('/t/code-of-t-doc-a-3');
    expect(shaped.count).toBe(3);
  });

  it("a doctor gets the address of its own doctor's tokens; another doctor's lose their patient and get none", () => {
    const answer = { tokens: [token('doc-a', 1), token('doc-b', 2)] };
    const shaped = shapeTokens(request(doctor, '/api/doctors/doc-a/schedule'), answer, patients) as { tokens: Record<string, unknown>[] };
    expect(shaped.tokens[0]).toMatchObject({ publicUrl: '/t/code-of-t-doc-a-1', patient: { name: 'Lakshmi' } });
    expect(shaped.tokens[1]).not.toHaveProperty('publicUrl');
    expect(shaped.tokens[1]).not.toHaveProperty('patient');
    expect(shaped.tokens[1]).toMatchObject({ number: 'GM-002' });
  });

  it("never modifies the desk's objects, and passes an answer with nothing to change on as it is", () => {
    const answer = { tokens: [token('doc-a', 1), token('doc-b', 2)], bumped: token('doc-b', 3) };
    const before = copy(answer);
    shapeTokens(request(admin, '/api/tokens'), answer, patients);
    shapeTokens(request(doctor, '/api/tokens'), answer, patients);
    expect(answer).toEqual(before);
    // No address on an answer outside /api/tokens, /api/doctors and /api/slots, nothing to redact for an admin.
    expect(shapeTokens(request(admin, '/api/board'), answer, patients)).toBe(answer);
    const untouched = { doctors: [{ id: 'doc-a', name: 'Dr Mehta' }] };
    expect(shapeTokens(request(doctor, '/api/doctors'), untouched, patients)).toBe(untouched);
    expect(shapeTokens(request(null, '/api/tokens'), answer, patients)).toBe(answer);
  });
});
