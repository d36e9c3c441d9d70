// The weekly rota of a doctor, leave and holidays, and a doctor's name and room (the admin's).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenDesk } from '../../service/types.ts';
import { contextOf } from '../context.ts';
import {
  ApplyRotaBody,
  ClosedDate,
  ClosedDatesQuery,
  CloseDateBody,
  DateClosed,
  DateParams,
  DateReopened,
  ReopenQuery,
  Rota,
  RotaApplied,
  RotaChange,
  SetRotaBody,
  UpdateDoctorBody,
} from '../rota-schemas.ts';
import { Doctor, IdempotencyHeaders, IdParams, problems } from '../schemas.ts';

export const rotaRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  const tags = ['rota'];

  app.patch('/api/doctors/:id', {
    schema: {
      tags: ['doctors'],
      summary: "Rename a doctor or change the doctor's room", operationId: 'updateDoctor',
      description: 'Slots without a room of their own show the new room at once.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: UpdateDoctorBody,
      response: { 200: Doctor, ...problems(400, 404, 409) },
    },
    handler: async (request) => desk.updateDoctor(request.params.id, request.body, contextOf(request)),
  });

  app.get('/api/doctors/:id/rota', {
    schema: { tags, summary: "The doctor's weekly rota", operationId: 'getRota', params: IdParams, response: { 200: Rota, ...problems(400, 404) } },
    handler: async (request) => desk.getRota(request.params.id),
  });

  app.put('/api/doctors/:id/rota', {
    schema: {
      tags,
      summary: "Replace the doctor's weekly rota", operationId: 'setRota',
      description:
        'The days ahead without tokens get their slots made again from the new rota at once; days with tokens are left as they were and listed in `asks`.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: SetRotaBody,
      response: { 200: RotaChange, ...problems(400, 404, 409) },
    },
    handler: async (request) =>
      desk.setRota(request.params.id, request.body.sessions.map((s) => ({ ...s, room: s.room ?? null })), contextOf(request)),
  });

  app.post('/api/doctors/:id/rota/apply', {
    schema: {
      tags,
      summary: 'Apply the rota to days that have tokens', operationId: 'applyRota',
      description:
        'Old slots nobody used are removed, new slots are made where the time is free; slots with tokens stay as they are (nobody is moved) and are listed in `kept`.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: ApplyRotaBody,
      response: { 200: RotaApplied, ...problems(400, 404, 409) },
    },
    handler: async (request) => desk.applyRota(request.params.id, request.body.dates, contextOf(request)),
  });

  app.get('/api/closed-dates', {
    schema: {
      tags,
      summary: 'Leave and holidays from a date on', operationId: 'listClosedDates',
      querystring: ClosedDatesQuery,
      response: { 200: z.array(ClosedDate), ...problems(400) },
    },
    handler: async (request) => desk.listClosedDates(request.query.from, request.query.to),
  });

  app.post('/api/closed-dates', {
    schema: {
      tags,
      summary: "Close a date: one doctor's leave, or a holiday", operationId: 'closeDate',
      description: 'No slots are made for it; slots it already has close (capacity 0) and their tokens wait. The answer lists the tokens the desk must call.',
      headers: IdempotencyHeaders,
      body: CloseDateBody,
      response: { 201: DateClosed, ...problems(400, 404, 409) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return desk.closeDate(request.body, contextOf(request));
    },
  });

  app.delete('/api/closed-dates/:date', {
    schema: {
      tags,
      summary: 'Open a closed date again', operationId: 'reopenDate',
      description: 'The rota makes the day again (or gives its closed slots their seats back).',
      params: DateParams,
      querystring: ReopenQuery,
      response: { 200: DateReopened, ...problems(400, 404) },
    },
    handler: async (request) => desk.reopenDate({ date: request.params.date, ...(request.query.doctorId ? { doctorId: request.query.doctorId } : {}) }, contextOf(request)),
  });
};
