// Slots of a doctor: create, read with their tokens, change capacity (0 closes a slot).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { contextOf } from '../context.ts';
import { ChangeCapacityBody, CreateSlotBody, IdempotencyHeaders, IdParams, problems, Slot, SlotDetail } from '../schemas.ts';

export const slotRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  const tags = ['slots'];

  app.post('/api/slots', {
    schema: {
      tags,
      summary: 'Create a slot', operationId: 'createSlot',
      headers: IdempotencyHeaders,
      body: CreateSlotBody,
      response: { 201: Slot, ...problems(400, 404, 409) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return desk.createSlot(request.body, contextOf(request));
    },
  });

  app.get('/api/slots/:id', {
    schema: {
      tags,
      summary: 'A slot with its seated tokens in serving order and its tied waitlist', operationId: 'getSlot',
      params: IdParams,
      response: { 200: SlotDetail, ...problems(400, 404) },
    },
    handler: async (request) => desk.getSlot(request.params.id),
  });

  app.patch('/api/slots/:id', {
    schema: {
      tags,
      summary: "Change a slot's capacity", operationId: 'changeSlotCapacity',
      description: 'Tokens over the new limit move to later slots or the waitlist; freed seats go to the waitlist.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: ChangeCapacityBody,
      response: { 200: Slot, ...problems(400, 404, 409) },
    },
    handler: async (request) => desk.changeCapacity(request.params.id, request.body.capacity, contextOf(request)),
  });
};
