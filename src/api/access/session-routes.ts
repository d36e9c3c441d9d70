// Signing in and out (SPEC 11): POST /api/session sets the `opd_session` cookie, GET /api/session
// says who is asking (`Me`), DELETE /api/session ends the session and clears the cookie.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccessError } from '../../access/access-errors.ts';
import type { AccessService } from '../../access/access-service.ts';
import type { Actor } from '../../access/types.ts';
import { problems } from '../schemas.ts';
import { Me } from '../access-schemas.ts';
import { SESSION_COOKIE, sessionCookie } from './cookies.ts';
import type { CredentialCache } from './credentials.ts';
import type { SignInLimiter } from './sign-in-limit.ts';

// Not `text()`: a password keeps its spaces, and a wrong one must not be told apart by its shape.
const SignInBody = z
  .strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .meta({ id: 'SignIn' });


export interface SessionRouteOptions {
  access: AccessService;
  cache: CredentialCache;
  signInLimiter: SignInLimiter;
}

export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, { access, cache, signInLimiter }) => {
  const tags = ['session'];
  const idleMinutes = access.idleMs / 60_000;

  async function me(actor: Actor, session: boolean, username?: string): Promise<z.infer<typeof Me>> {
    if (actor.role === 'system' || actor.kind === 'system') throw new Error('the system actor has no session');
    const name = username ?? (actor.kind === 'account' ? (await access.getAccount(actor.id))?.username : undefined);
    return {
      kind: actor.kind,
      id: actor.id,
      name: actor.name,
      role: actor.role,
      doctorIds: actor.doctorIds === 'all' ? 'all' : [...actor.doctorIds],
      ...(name === undefined ? {} : { username: name }),
      ...(session ? { idleMinutes } : {}),
    };
  }

  app.post('/api/session', {
    schema: {
      tags,
      summary: 'Sign in', operationId: 'signIn',
      description: 'Sets the `opd_session` cookie (HttpOnly, SameSite=Strict; Secure over https). A wrong username or password is the same 401 either way.',
      body: SignInBody,
      response: { 200: Me, ...problems(400, 401, 403, 429) },
    },
    ...signInLimiter.hooks((request) => (request.body as { username: string }).username),
    handler: async (request, reply) => {
      const { secret, actor } = await access.signIn(request.body.username, request.body.password, {
        userAgent: request.headers['user-agent'] ?? null,
        address: request.ip,
      });
      reply.setCookie(SESSION_COOKIE, secret, sessionCookie(request));
      return me(actor, true, request.body.username);
    },
  });

  app.get('/api/session', {
    schema: {
      tags,
      summary: 'Who am I', operationId: 'getSession',
      description: 'The identity of the credentials sent (a session, an API key or a display link); 401 without any.',
      response: { 200: Me, ...problems(401) },
    },
    handler: async (request) => {
      if (request.actor === null) throw new AccessError('UNAUTHENTICATED', 'not signed in');
      return me(request.actor, request.credential?.kind === 'session');
    },
  });

  app.delete('/api/session', {
    schema: {
      tags,
      summary: 'Sign out', operationId: 'signOut',
      description: 'Ends the session of the `opd_session` cookie and clears the cookie. With an API key it changes nothing.',
      response: { 204: z.null().describe('Signed out') },
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.credential?.kind === 'session') {
        cache.forget(`s:${request.credential.secret}`);
        await access.signOut(request.credential.secret);
      }
      reply.clearCookie(SESSION_COOKIE, sessionCookie(request));
      return reply.code(204).send();
    },
  });
};
