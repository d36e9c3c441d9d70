// The tokens in staff answers, shaped for who asks (SPEC 11), in ONE walk of the answer by one
// synchronous preSerialization hook: every token (at any depth: a schedule's, a slot's, a bump)
// - gets its page's `publicUrl` when the asking identity may see that token's patient (admin, desk, the
//   token's doctor: the same people who print the slip), on the answers that hold tokens;
// - loses its personal fields (redactToken) when the identity may not see that patient. Today no
//   role may read a token without its personal fields (readToken and readTokenPersonal reach the same
//   doctors), so nothing is removed from a served answer; should the table change, the Token schema's
//   required `patient` makes such an answer fail closed (500) until the schema marks it optional —
//   never leak.
// The board, the live feed and the patient's page never carry a public URL: their tokens have no patient.
// Objects are copied only where something changes (a token and the objects that hold it): the desk's
// own objects are never modified, and an answer without a token to change is passed on as it is.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { doctorsFor, may, redactToken } from '../access/roles.ts';
import type { Actor } from '../access/types.ts';
import type { PatientDesk } from '../service/patient-desk.ts';

/** Plain objects only: a Date or a Buffer passes untouched. */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Only these answers hold tokens with pages. */
const TOKEN_ANSWERS = /^\/api\/(tokens|doctors|slots)(\/|\?|$)/;

interface Shaping {
  actor: Actor;
  /** Whether tokens the actor may see get their `publicUrl`. */
  urls: boolean;
  patients: Pick<PatientDesk, 'publicUrl'>;
}

function shape(value: unknown, s: Shaping): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const w = shape(v, s);
      if (w !== v) (out ??= value.slice())[i] = w;
    }
    return out ?? value;
  }
  if (!isRecord(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const v = value[key];
    if (typeof v !== 'object' || v === null) continue;
    const w = shape(v, s);
    if (w !== v) (out ??= { ...value })[key] = w;
  }
  const token = out ?? value;
  if (!('patient' in token) || typeof token.doctorId !== 'string') return token;
  if (!may(s.actor, 'readTokenPersonal', token.doctorId)) return redactToken(s.actor, token as { doctorId: string; patient?: unknown });
  if (s.urls && typeof token.id === 'string' && typeof token.number === 'string') return { ...token, publicUrl: s.patients.publicUrl(token.id) };
  return token;
}

/** The answer's tokens as `request.actor` may see them (above); the answer itself when nothing changes. */
export function shapeTokens(request: FastifyRequest, payload: unknown, patients: Pick<PatientDesk, 'publicUrl'>): unknown {
  const actor = request.actor;
  if (actor === null || (!isRecord(payload) && !Array.isArray(payload))) return payload;
  const scope = doctorsFor(actor, 'readTokenPersonal');
  const urls = (scope === 'all' || scope.length > 0) && TOKEN_ANSWERS.test(request.url);
  // Nothing to add and nothing to remove: every token stays as it is.
  if (!urls && scope === 'all') return payload;
  return shape(payload, { actor, urls, patients });
}

/** The preSerialization hook. */
export function tokenAnswers(patients: Pick<PatientDesk, 'publicUrl'>) {
  return function shapeAnswer(request: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
    done(null, shapeTokens(request, payload, patients));
  };
}
