// Doctors, their policy overrides, and the doctor-day: schedule, calling the next patient, delays.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenDesk } from '../../service/types.ts';
import { contextOf } from '../context.ts';
import {
  CallNextBody,
  CreateDoctorBody,
  DelayBody,
  Doctor,
  IdempotencyHeaders,
  IdParams,
  PolicyOverrides,
  problems,
  Schedule,
  ScheduleQuery,
  Token,
} from '../schemas.ts';

export const doctorRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  const tags = ['doctors'];

  app.post('/api/doctors', {
    schema: {
      tags,
      summary: 'Create a doctor', operationId: 'createDoctor',
      headers: IdempotencyHeaders,
      body: CreateDoctorBody,
      response: { 201: Doctor, ...problems(400, 409) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return desk.createDoctor(request.body, contextOf(request));
    },
  });

  app.get('/api/doctors', {
    schema: { tags, summary: 'List the doctors', operationId: 'listDoctors', response: { 200: z.array(Doctor) } },
    handler: async () => desk.listDoctors(),
  });

  app.get('/api/doctors/:id', {
    schema: { tags, summary: 'Read a doctor', operationId: 'getDoctor', params: IdParams, response: { 200: Doctor, ...problems(400, 404) } },
    handler: async (request) => desk.getDoctor(request.params.id),
  });

  app.put('/api/doctors/:id/policy', {
    schema: {
      tags,
      summary: "Replace the doctor's policy overrides", operationId: 'setDoctorPolicy',
      description: 'Fields left out follow the hospital default. Open doctor-days apply the new policy at once.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: PolicyOverrides,
      response: { 200: Doctor, ...problems(400, 404, 409) },
    },
    handler: async (request) => desk.setDoctorPolicy(request.params.id, request.body, contextOf(request)),
  });

  app.get('/api/doctors/:id/schedule', {
    schema: {
      tags,
      summary: 'The doctor-day: slots with their seated tokens, and the waitlist in promotion order', operationId: 'getSchedule',
      params: IdParams,
      querystring: ScheduleQuery,
      response: { 200: Schedule, ...problems(400, 404) },
    },
    handler: async (request) => desk.schedule(request.params.id, request.query.date),
  });

  app.post('/api/doctors/:id/call-next', {
    schema: {
      tags,
      summary: 'Call the next checked-in patient', operationId: 'callNext',
      description:
        'A CHECKED_IN EMERGENCY of any slot that has not ended comes first (earliest issued; one skipped waits its turn); otherwise the next CHECKED_IN token of the earliest slot that has one, in serving order, becomes CALLED. 404 QUEUE_EMPTY when nobody waits.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: CallNextBody,
      response: { 200: Token, ...problems(400, 404, 409) },
    },
    handler: async (request) => desk.callNext(request.params.id, request.body?.date, contextOf(request)),
  });

  app.post('/api/doctors/:id/delay', {
    schema: {
      tags,
      summary: 'Report that the doctor runs late', operationId: 'reportDelay',
      description:
        'shrink (default policy): the slots overlapping the lost window lose seats and their last tokens move, and estimates move past the window; shift: the remaining slots move later. The schedule answered (and every schedule and board until it ends) carries the `delay` in force.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: DelayBody,
      response: { 200: Schedule, ...problems(400, 404, 409) },
    },
    handler: async (request) =>
      desk.delay(request.params.id, request.body.minutes, request.body.date, contextOf(request)),
  });
};
