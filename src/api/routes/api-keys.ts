// API keys for machines (SPEC 11), for admins: list, create (the secret shown once), revoke.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKey, apiKeyOut, CreateApiKeyBody, NewApiKey } from '../access-schemas.ts';
import { IdParams, problems } from '../schemas.ts';
import type { AccessRouteOptions } from './accounts.ts';

export const apiKeyRoutes: FastifyPluginAsyncZod<AccessRouteOptions> = async (app, { access, timeZone }) => {
  const tags = ['accounts'];

  app.get('/api/api-keys', {
    schema: { tags, summary: 'List the API keys', operationId: 'listApiKeys', description: 'In creation order, revoked ones too. Never a secret or its hash.', response: { 200: z.array(ApiKey), ...problems(401, 403) } },
    handler: async () => (await access.listApiKeys()).map((k) => apiKeyOut(k, timeZone)),
  });

  app.post('/api/api-keys', {
    schema: {
      tags,
      summary: 'Create an API key',
      operationId: 'createApiKey',
      description: 'The answer carries the secret, once: the server keeps only its hash. A machine sends it as `Authorization: Bearer <secret>`.',
      body: CreateApiKeyBody,
      response: { 201: NewApiKey, ...problems(400, 401, 403) },
    },
    handler: async (request, reply) => {
      const { key, secret } = await access.createApiKey(request.body);
      return reply.code(201).header('cache-control', 'no-store').send({ key: apiKeyOut(key, timeZone), secret });
    },
  });

  app.delete('/api/api-keys/:id', {
    schema: {
      tags,
      summary: 'Revoke an API key',
      operationId: 'revokeApiKey',
      description: 'At once: its next request is 401. Revoking a revoked key changes nothing (204).',
      params: IdParams,
      response: { 204: z.null().describe('Revoked'), ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await access.revokeApiKey(request.params.id);
      return reply.code(204).send(null);
    },
  });
};
