// The slip the desk prints for a token (SPEC 11: desk and admin), and the hospital's slip layout,
// which an admin chooses (an 80 mm thermal roll, or A6 or A5 paper).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PatientDesk } from '../../service/patient-desk.ts';
import { contextOf } from '../context.ts';
import { Settings, SettingsBody, Slip } from '../patient-schemas.ts';
import { IdParams, problems } from '../schemas.ts';

export const slipRoutes: FastifyPluginAsyncZod<{ patients: PatientDesk }> = async (app, { patients }) => {
  app.get('/api/tokens/:id/slip', {
    schema: {
      tags: ['tokens'],
      summary: 'What the slip of a token shows',
      operationId: 'getTokenSlip',
      description:
        "The number, doctor, department, room, slot, expected time, place in the queue, when it was issued, the patient's page (`publicUrl`, a path: the slip prints it as a QR code with the desk's origin), and the hospital's print layout. No patient name: a slip left behind tells nobody who it was.",
      params: IdParams,
      response: { 200: Slip, ...problems(400, 404) },
    },
    handler: async (request) => patients.slip(request.params.id),
  });

  app.get('/api/settings', {
    schema: {
      tags: ['settings'],
      summary: "The hospital's settings: the slip's print layout",
      operationId: 'getSettings',
      response: { 200: Settings, ...problems(400) },
    },
    handler: async () => ({ slipLayout: await patients.slipLayout() }),
  });

  app.put('/api/settings', {
    schema: {
      tags: ['settings'],
      summary: "Change the hospital's settings: the slip's print layout",
      operationId: 'putSettings',
      description: 'roll-80mm: an 80 mm thermal roll printer; a6 or a5: a sheet printer. Slips printed from now on use it.',
      body: SettingsBody,
      response: { 200: Settings, ...problems(400) },
    },
    handler: async (request) => ({ slipLayout: await patients.setSlipLayout(request.body.slipLayout, contextOf(request)) }),
  });
};
