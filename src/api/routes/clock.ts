// The manual clock (OPD_CLOCK=manual): demos, drills and tests move time by hand.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { Clock, ClockBody, problems } from '../schemas.ts';

export const clockRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.put('/api/clock', {
    schema: {
      tags: ['clock'],
      summary: "Set the service's clock",
      description: 'Only when the server runs with OPD_CLOCK=manual (else 404 CLOCK_NOT_MANUAL). Every open doctor-day is ticked at once. Setting the same time again changes nothing, so the request is idempotent by nature.',
      body: ClockBody,
      response: { 200: Clock, ...problems(400, 404) },
    },
    handler: async (request) => {
      await desk.setClock(new Date(request.body.now));
      return { now: desk.now().toISOString() };
    },
  });
};
