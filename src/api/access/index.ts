// The access layer of the HTTP API (SPEC 11), wired in two steps by buildApp:
// - `attachRules` first, before any route is added: every route gets its rule from ROUTES, or the
//   build fails;
// - `accessLayer` (a plugin that shares the app's scope) after: cookies, and per
//   request the Origin check, the credentials, the cookie rule, the role check and the doctor check;
//   then the session routes. (The redaction of answers is public-urls.ts's walk.)

import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessService } from '../../access/access-service.ts';
import type { TokenDesk } from '../../service/types.ts';
import { attachRule, checkDoctor, checkRoute } from './authorize.ts';
import { CredentialCache, resolveCredentials } from './credentials.ts';
import { checkCookieRequest, checkOrigin } from './cross-site.ts';
import { sessionRoutes } from './session-routes.ts';
import type { SignInLimiter } from './sign-in-limit.ts';

export { scopeOf, withinScope } from './authorize.ts';
export { CredentialCache, DISPLAY_COOKIE, recheckCredential, SESSION_COOKIE } from './credentials.ts';
export { securityHeaderObject } from './cross-site.ts';

export function attachRules(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('credential', null);
  app.addHook('onRoute', attachRule);
}

export interface AccessLayerOptions {
  access: AccessService;
  desk: TokenDesk;
  cache: CredentialCache;
  /** Counts failed sign-ins per username and per address (shared with POST /api/setup). */
  signInLimiter: SignInLimiter;
}

const layer: FastifyPluginAsync<AccessLayerOptions> = async (app, { access, desk, cache, signInLimiter }) => {
  await app.register(fastifyCookie);
  app.addHook('onRequest', checkOrigin);
  app.addHook('onRequest', resolveCredentials(access, cache));
  app.addHook('onRequest', checkCookieRequest);
  app.addHook('onRequest', checkRoute);
  app.addHook('preHandler', checkDoctor(desk));
  await app.register(sessionRoutes, { access, cache, signInLimiter });
};

export const accessLayer = fp(layer, { name: 'opd-access', fastify: '5.x' });
