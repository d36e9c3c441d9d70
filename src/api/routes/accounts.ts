// Staff accounts (SPEC 11), for admins: list, create, change (name, role and doctors, disabled),
// reset a password. Who may call them is decided before the handler, by the route's rule in
// src/access/roles.ts (manageAccounts); these handlers only do the work.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessService } from '../../access/access-service.ts';
import { Account, accountOut, CreateAccountBody, PasswordBody, UpdateAccountBody } from '../access-schemas.ts';
import { IdParams, problems } from '../schemas.ts';

export interface AccessRouteOptions {
  access: AccessService;
  /** The hospital's time zone: times are written in it, as everywhere in the API. */
  timeZone: string;
}

export const accountRoutes: FastifyPluginAsyncZod<AccessRouteOptions> = async (app, { access, timeZone }) => {
  const tags = ['accounts'];

  app.get('/api/accounts', {
    schema: { tags, summary: 'List the staff accounts', operationId: 'listAccounts', description: 'In username order. Never a password or its hash.', response: { 200: z.array(Account), ...problems(401, 403) } },
    handler: async () => (await access.listAccounts()).map((a) => accountOut(a, timeZone)),
  });

  app.post('/api/accounts', {
    schema: {
      tags,
      summary: 'Create a staff account',
      operationId: 'createAccount',
      description: 'A doctor account names its doctors; admin and desk work for `all`. 409 USERNAME_TAKEN when the name exists in any letter case.',
      body: CreateAccountBody,
      response: { 201: Account, ...problems(400, 401, 403, 409) },
    },
    handler: async (request, reply) => reply.code(201).send(accountOut(await access.createAccount(request.body), timeZone)),
  });

  app.patch('/api/accounts/:id', {
    schema: {
      tags,
      summary: 'Change an account: display name, role and doctors, disabled',
      operationId: 'updateAccount',
      description:
        "Disabling ends the account's sessions at once; enabling does not bring them back. 409 LAST_ADMIN when the change would leave no enabled admin.",
      params: IdParams,
      body: UpdateAccountBody,
      response: { 200: Account, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (request) => accountOut(await access.updateAccount(request.params.id, request.body), timeZone),
  });

  app.put('/api/accounts/:id/password', {
    schema: {
      tags,
      summary: "Set an account's password",
      operationId: 'setAccountPassword',
      description: "An admin's reset: no current password needed. Every session of the account ends.",
      params: IdParams,
      body: PasswordBody,
      response: { 204: z.null().describe('Set'), ...problems(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await access.changePassword(request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  });
};
