// The service's clock: read it; with OPD_CLOCK=manual, demos, drills and tests move it by hand.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { formatIso, localDate } from '../../time/local-time.ts';
import { Clock, ClockBody, problems } from '../schemas.ts';

function clockOf(desk: TokenDesk) {
  const now = desk.now().getTime();
  return { now: formatIso(now, desk.timeZone), timeZone: desk.timeZone, today: localDate(now, desk.timeZone) };
}

export const clockRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.get('/api/clock', {
    schema: {
      tags: ['clock'],
      summary: "The service's clock", operationId: 'getClock',
      description: 'The time the service acts at: the system clock, or the manual clock when started with OPD_CLOCK=manual.',
      response: { 200: Clock },
    },
    handler: async () => clockOf(desk),
  });

  app.put('/api/clock', {
    schema: {
      tags: ['clock'],
      summary: "Set the service's clock", operationId: 'setClock',
      description: 'Only when the server runs with OPD_CLOCK=manual (else 404 CLOCK_NOT_MANUAL). Every open doctor-day is ticked at once. Setting the same time again changes nothing, so the request is idempotent by nature.',
      body: ClockBody,
      response: { 200: Clock, ...problems(400, 404) },
    },
    handler: async (request) => {
      await desk.setClock(new Date(request.body.now));
      return clockOf(desk);
    },
  });
};
