// POST /api/patients/erase: an admin erases one patient's personal data at once (SPEC 12): every
// token of a phone, of a patient id, or of one token's patient. The tokens, their history, reports
// and replays stay whole; staff then see the patient as erased. Recorded for audit without the data.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { contextOf } from '../context.ts';
import { Erased, ErasePatientBody, IdempotencyHeaders, problems } from '../schemas.ts';

export const patientDataRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.post('/api/patients/erase', {
    schema: {
      tags: ['patients'],
      summary: "Erase one patient's personal data now", operationId: 'erasePatient',
      description:
        "Erases the name, phone and patient id kept for every token of the patient named by exactly one of `phone` (any common writing), `patientId` (case aside) or `tokenId` (that token's patient: by its patient id, else its phone). Answers how many tokens' data was erased (0 when none matched). The tokens, their history and every report stay as they were; staff then see `patient: null, patientErased: true`. Administrators only; recorded (who, when, how it matched) without the data.",
      headers: IdempotencyHeaders,
      body: ErasePatientBody,
      response: { 200: Erased, ...problems(400, 404) },
    },
    handler: async (request) => desk.erasePatient(request.body, contextOf(request)),
  });
};
