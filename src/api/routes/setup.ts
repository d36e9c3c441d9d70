// The first-run set-up (SPEC 11): on a database without an enabled admin, the server prints a link
// `<url>/setup#<code>`; the set-up page sends the code with the first admin's username and password
// here, and is signed in as that admin at once. Public (no one can sign in yet); attempts are
// limited like sign-ins, since a wrong code is a guess.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AccessService } from '../../access/access-service.ts';
import { accountMe, Me, SetupBody, SetupState } from '../access-schemas.ts';
import { SESSION_COOKIE, sessionCookie } from '../access/cookies.ts';
import type { SignInLimiter } from '../access/sign-in-limit.ts';
import { problems } from '../schemas.ts';

export const setupRoutes: FastifyPluginAsyncZod<{ access: AccessService; signInLimiter: SignInLimiter }> = async (app, { access, signInLimiter }) => {
  const tags = ['session'];
  const idleMinutes = access.idleMs / 60_000;

  app.get('/api/setup', {
    schema: { tags, summary: 'Is the first-run set-up open?', operationId: 'getSetup', description: 'Open while no enabled admin exists. Public.', response: { 200: SetupState } },
    handler: async () => ({ open: await access.setupOpen() }),
  });

  app.post('/api/setup', {
    schema: {
      tags,
      summary: 'Create the first admin with the set-up code, and sign in as it',
      operationId: 'completeSetup',
      description:
        'Public. The code (from the link the server printed at start) works once, for 24 hours. 201 with the new admin and its session cookie. 401 UNAUTHENTICATED: the code is wrong, used or expired. 409 SETUP_CLOSED: an admin exists already. 429 TOO_MANY_REQUESTS after too many wrong codes.',
      body: SetupBody,
      response: { 201: Me, ...problems(400, 401, 409, 429) },
    },
    ...signInLimiter.hooks((request) => (request.body as { username: string }).username),
    handler: async (request, reply) => {
      const { code, username, password, displayName } = request.body;
      const admin = await access.completeSetup(code, username, password, displayName ?? username);
      const { secret, actor } = await access.signIn(username, password, { userAgent: request.headers['user-agent'] ?? null, address: request.ip });
      reply.setCookie(SESSION_COOKIE, secret, sessionCookie(request));
      return reply.code(201).header('cache-control', 'no-store').send(accountMe(actor, admin.username, idleMinutes));
    },
  });
};
