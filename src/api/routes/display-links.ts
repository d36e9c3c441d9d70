// Display links for waiting-room boards (SPEC 11), for admins: list, create (the secret shown once,
// with the path to open on the screen), revoke.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateDisplayLinkBody, DisplayLink, displayLinkOut, NewDisplayLink } from '../access-schemas.ts';
import { IdParams, problems } from '../schemas.ts';
import type { AccessRouteOptions } from './accounts.ts';

export const displayLinkRoutes: FastifyPluginAsyncZod<AccessRouteOptions> = async (app, { access, timeZone }) => {
  const tags = ['accounts'];

  app.get('/api/display-links', {
    schema: { tags, summary: 'List the display links', operationId: 'listDisplayLinks', description: 'In creation order, revoked ones too. Never a secret or its hash.', response: { 200: z.array(DisplayLink), ...problems(401, 403) } },
    handler: async () => (await access.listDisplayLinks()).map((l) => displayLinkOut(l, timeZone)),
  });

  app.post('/api/display-links', {
    schema: {
      tags,
      summary: 'Create a display link for a board',
      operationId: 'createDisplayLink',
      description: 'The answer carries the secret and `path` (`/display/<secret>`), once. Opening the path on a screen shows the board of these doctors.',
      body: CreateDisplayLinkBody,
      response: { 201: NewDisplayLink, ...problems(400, 401, 403) },
    },
    handler: async (request, reply) => {
      const { link, secret } = await access.createDisplayLink(request.body);
      return reply.code(201).header('cache-control', 'no-store').send({ link: displayLinkOut(link, timeZone), secret, path: `/display/${secret}` });
    },
  });

  app.delete('/api/display-links/:id', {
    schema: {
      tags,
      summary: 'Revoke a display link',
      operationId: 'revokeDisplayLink',
      description: "At once: the board's next request is 401 and it blanks itself. Revoking a revoked link changes nothing (204).",
      params: IdParams,
      response: { 204: z.null().describe('Revoked'), ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await access.revokeDisplayLink(request.params.id);
      return reply.code(204).send(null);
    },
  });
};
