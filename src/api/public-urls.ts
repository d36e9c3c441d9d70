// Staff answers carry each token's page (SPEC 11): a preSerialization hook gives every token in an
// answer (at any depth: a schedule's, a slot's, a bump) its `publicUrl` when the asking identity may
// see that token's patient (admin, desk, the token's doctor) — the same people who print the slip.
// The board, the live feed and the patient's page never carry it: their tokens have no patient.

import type { FastifyRequest } from 'fastify';
import { doctorsFor, may } from '../access/roles.ts';
import type { PatientDesk } from '../service/patient-desk.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const isToken = (v: Record<string, unknown>): v is Record<string, unknown> & { id: string; doctorId: string } =>
  typeof v.id === 'string' && typeof v.doctorId === 'string' && typeof v.number === 'string' && 'patient' in v;

/** Only these answers hold tokens. */
const TOKEN_ANSWERS = /^\/api\/(tokens|doctors|slots)(\/|\?|$)/;

export function publicUrls(patients: PatientDesk) {
  return async function addPublicUrls(request: FastifyRequest, _reply: unknown, payload: unknown): Promise<unknown> {
    const actor = request.actor;
    if (actor === null || !TOKEN_ANSWERS.test(request.url)) return payload;
    const scope = doctorsFor(actor, 'readTokenPersonal');
    if (scope !== 'all' && scope.length === 0) return payload;
    const walk = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(walk);
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v);
      if (isToken(out) && may(actor, 'readTokenPersonal', out.doctorId)) out.publicUrl = patients.publicUrl(out.id);
      return out;
    };
    return walk(payload);
  };
}
