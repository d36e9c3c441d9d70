// GET /api/audit: who did what on a day. The events one actor (an account, an API key, a display
// link, or `system`) caused on a hospital-local date, in order, with their doctor and token number.
// Administrators only (action readAudit).

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { Audit, AuditQuery, problems } from '../schemas.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.get('/api/audit', {
    schema: {
      tags: ['audit'],
      summary: "The events one actor caused on a day", operationId: 'getAudit',
      description:
        'Every event the actor caused whose time falls on `date` (hospital-local), in commit order, each with its doctor and the number of the token it is about. An unknown actor has none. Administrators only.',
      querystring: AuditQuery,
      response: { 200: Audit, ...problems(400) },
    },
    handler: async (request) => {
      const { actorId, date } = request.query;
      return { actorId, date, events: await desk.audit(actorId, date) };
    },
  });
};
