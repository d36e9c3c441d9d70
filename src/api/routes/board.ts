// The waiting-room board: per doctor the token being served and who comes next, by number only.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { doctorBoard } from '../../service/board.ts';
import type { TokenDesk } from '../../service/types.ts';
import { formatIso } from '../../time/local-time.ts';
import { scopeOf, withinScope } from '../access/index.ts';
import { Board, BoardQuery, problems } from '../schemas.ts';

const DEFAULT_LIMIT = 6;

export const boardRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.get('/api/board', {
    schema: {
      tags: ['doctors'],
      summary: 'The waiting-room board of some doctors', operationId: 'getBoard',
      description:
        'Only the doctors the caller may see (a display link its own, a doctor its own). Per doctor: the tokens being served, the next ones (checked in, in the order call-next takes them, then those seated but not yet checked in) and the waitlist. Token numbers, statuses and times only: never a patient name, id or phone. A board refreshes it when the live feed (`GET /api/events`) names one of its doctors.',
      querystring: BoardQuery,
      response: { 200: Board, ...problems(400, 404) },
    },
    handler: async (request) => {
      const { doctors, date, limit = DEFAULT_LIMIT } = request.query;
      const now = desk.now();
      const asked = doctors === undefined ? (await desk.listDoctors()).map((d) => d.id) : doctors.split(',');
      const ids = withinScope(asked, scopeOf(request, 'readBoard'));
      const schedules = await Promise.all(ids.map((id) => desk.schedule(id, date)));
      return { now: formatIso(now.getTime(), desk.timeZone), doctors: schedules.map((s) => doctorBoard(s, now, limit)) };
    },
  });
};
