// The HTTP app (SPEC 10) as one Fastify instance built around a TokenDesk: the zod schemas validate
// requests, shape responses and produce the OpenAPI document; one error handler writes every refusal
// as problem+json. Building it starts nothing: server.ts listens, tests use `app.inject`.

import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../service/types.ts';
import { openApiTransformObject } from './openapi.ts';
import { AccessLog, bufferedLog, type LogOutput } from './access-log.ts';
import { clientErrorHandler } from './client-errors.ts';
import { TIMEOUT_DEFAULTS, type HttpTimeouts } from './limits.ts';
import { errorHandler, notFoundHandler } from './problem.ts';
import { observeHttp, OpdMetrics } from './metrics.ts';
import { checkQueryEncoding } from './query-encoding.ts';
import { serializerCompiler } from './serializer.ts';
import { clockRoutes } from './routes/clock.ts';
import { doctorRoutes } from './routes/doctors.ts';
import { eventRoutes, type FeedOptions } from './routes/events.ts';
import { slotRoutes } from './routes/slots.ts';
import { rotaRoutes } from './routes/rota.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { patientDataRoutes } from './routes/patients.ts';
import { boardRoutes } from './routes/board.ts';
import { auditRoutes } from './routes/audit.ts';
import { reportRoutes } from './routes/reports.ts';
import { Health } from './schemas.ts';
import type { AccessService } from '../access/access-service.ts';
import { accessLayer, attachRules, CredentialCache, recheckCredential, securityHeaderObject } from './access/index.ts';
import { webDesk } from './web.ts';
import { SignInLimiter, type SignInLimits } from './access/sign-in-limit.ts';
import { accountRoutes } from './routes/accounts.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { displayLinkRoutes } from './routes/display-links.ts';
import { displayPageRoutes } from './routes/display-page.ts';
import { setupRoutes } from './routes/setup.ts';
import { patientRoutes } from './routes/patient.ts';
import { slipRoutes } from './routes/slips.ts';
import { tokenAnswers } from './public-urls.ts';
import type { PatientDesk } from '../service/patient-desk.ts';

/** Resolved sessions and keys are reused this long: it saves a database read per request (bench/RESULTS.md). */
export const CREDENTIAL_CACHE_MS = 5_000;

/** The largest request body accepted: a token request is well under 1 KiB. */
export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  desk: TokenDesk;
  /** Fastify's logger: false (default), true, or pino options such as `{ level: 'info' }`. */
  logger?: boolean | object;
  /** The live feed's timing; tests shorten it. */
  feed?: FeedOptions;
  /** The built web desk (dist/web) to serve at /, /doctor/:id, /board and /admin; none when omitted. */
  webRoot?: string;
  /** The metrics served at /metrics; pass the ones the store and the desk report to. A new set when omitted. */
  metrics?: OpdMetrics;
  /** Accounts, sessions, keys and display links (SPEC 11): who is asking, per request. */
  access: AccessService;
  /** The patients' pages and slips (public codes, the slip layout): PatientDesk.open(desk, store.settings). */
  patients: PatientDesk;
  /**
   * How long a resolved session or API key is reused without asking the database (default
   * CREDENTIAL_CACHE_MS; 0: never). A session ended, key revoked or account disabled works here for up
   * to this long, unless this server's `app.credentialCache` is told (signing out here forgets at once).
   */
  credentialCacheMs?: number;
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host (OPD_TRUST_PROXY). Default false. */
  trustProxy?: boolean;
  /** How long a slow client may hold a connection; only a listening server uses them. */
  timeouts?: Partial<HttpTimeouts>;
  /** Failed sign-in attempts allowed per username and per address (docs/security.md); tests lower them. */
  signInLimits?: SignInLimits;
}

/**
 * Node looks for requests past their timeout only every `connectionsCheckingInterval` (30 s by
 * default, longer than the timeouts themselves): look at least a few times per shortest timeout.
 */
function checkingInterval(t: HttpTimeouts): number {
  const shortest = Math.min(...[t.requestMs, t.headersMs].filter((ms) => ms > 0));
  return Number.isFinite(shortest) ? Math.max(50, Math.min(1_000, Math.floor(shortest / 4))) : 30_000;
}

/** A request id from the caller (a proxy's X-Request-Id) when it looks like one, else a new UUID. */
function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
}

/**
 * Fastify's logger option. A pino logger at level `silent` writes nothing but still costs a child
 * logger per request; no logger at all does the same (nothing) for free. Any other level writes to
 * the buffered standard output of access-log.ts unless the options name their own stream.
 */
function loggerOption(logger: AppOptions['logger']): { option: FastifyServerOptions['logger']; output?: LogOutput } {
  if (logger === undefined || logger === false) return { option: false };
  const options = (logger === true ? {} : logger) as { level?: unknown; stream?: unknown };
  if (options.level === 'silent') return { option: false };
  if (options.stream !== undefined) return { option: options as FastifyServerOptions['logger'] };
  const output = bufferedLog();
  return { option: { ...options, stream: output.stream } as FastifyServerOptions['logger'], output };
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const { desk } = opts;
  const timeouts: HttpTimeouts = { ...TIMEOUT_DEFAULTS, ...opts.timeouts };
  const log = loggerOption(opts.logger);
  const app = Fastify({
    logger: log.option,
    logController: new AccessLog(),
    bodyLimit: BODY_LIMIT,
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: opts.trustProxy ?? false,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: { requestTimeout: timeouts.requestMs, headersTimeout: timeouts.headersMs, connectionsCheckingInterval: checkingInterval(timeouts) },
    // The router's own refusals (bad URL encoding, an over-long id) take the one error handler too.
    frameworkErrors: (err, request, reply) => void errorHandler(err, request as FastifyRequest, reply as FastifyReply),
    // So do the HTTP parser's (unknown method, bad Content-Length, huge headers) and the timeouts.
    clientErrorHandler,
  });

  // The lines still buffered are written when the app closes.
  if (log.output) app.addHook('onClose', log.output.close);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // First, before any route: each route takes its access rule, or the build fails.
  attachRules(app);
  const served = new Set<string>();
  app.addHook('onRoute', (route) => {
    for (const m of [route.method].flat()) served.add(m);
  });
  app.setNotFoundHandler(notFoundHandler(served));

  // JSON only: any other content type is a 415. An empty body with a JSON content type counts as no
  // body (the lifecycle actions take none), instead of Fastify's "body cannot be empty".
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') done(null, undefined);
    else parseJson(request, text, done);
  });

  // Every answer (JSON, pages, problems, the live feed) carries the security headers (access/cross-site.ts)
  // and its request id: one synchronous hook, one call.
  const securityHeaders = securityHeaderObject();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders).header('x-request-id', request.id);
    done();
  });
  app.addHook('onRequest', checkQueryEncoding);

  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OPD token desk',
        description:
          'Tokens of a hospital outpatient department: doctors, slots, priority allocation with preemption and waitlists, and a live event feed. Errors are RFC 9457 problem+json with a machine `code`. Every POST, PUT and PATCH honours an `Idempotency-Key` header.',
        version: '0.1.0',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Relative: the document is served by the server it describes, wherever that is mounted.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'opd_session', description: 'The staff session cookie that `POST /api/session` sets.' },
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (for machines), made by an admin: `Authorization: Bearer <key>`.' },
        },
      },
      // Either credential; public operations say `security: []`.
      security: [{ session: [] }, { bearer: [] }],
      tags: [
        { name: 'doctors', description: 'Doctors, policy overrides and the doctor-day' },
        { name: 'slots', description: 'Time windows with a capacity' },
        { name: 'tokens', description: 'Issuing tokens and their lifecycle' },
        { name: 'events', description: 'The live feed' },
        { name: 'clock', description: 'The manual clock (OPD_CLOCK=manual)' },
        { name: 'audit', description: 'Who did what: the events one actor caused on a day' },
        { name: 'reports', description: "The administrator's reports of the real days, and the what-if of a past day" },
        { name: 'patients', description: "Patients' personal data: erasing it (admins)" },
        { name: 'session', description: 'Signing in and out, who is asking, and the first-run set-up' },
        { name: 'accounts', description: 'Staff accounts, API keys and display links (admins)' },
        { name: 'patient', description: "The patient's own page, public with the code on the slip" },
        { name: 'settings', description: "The hospital's settings (the slip's print layout)" },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: openApiTransformObject,
  });
  app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  // One limiter for every way of signing in (POST /api/session and POST /api/setup): the failures of both count together.
  const signInLimiter = new SignInLimiter(opts.signInLimits);
  // Who is asking and whether they may (SPEC 11): src/api/access/. After the document's plugin, so
  // that it lists the session routes.
  const credentialCache = new CredentialCache(opts.credentialCacheMs ?? CREDENTIAL_CACHE_MS);
  // For the routes that revoke or disable on this server: `app.credentialCache.clear()` makes it immediate here.
  app.decorate('credentialCache', credentialCache);
  app.register(accessLayer, { access: opts.access, desk, cache: credentialCache, signInLimiter });
  observeHttp(app, opts.metrics ?? new OpdMetrics());
  // Each token of an answer as the asker may see it: its page's address, or without its patient.
  app.addHook('preSerialization', tokenAnswers(opts.patients));

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Liveness: the process answers. It does not ask the database: a database outage is not cured by
  // restarting the server (it reconnects by itself), and a restart would only drop its live feeds.
  typed.get('/healthz', { schema: { hide: true, response: { 200: Health } } }, async () => ({ status: 'ok' as const, now: desk.now().toISOString() }));
  // Readiness: the database answers in time. A 503 DATABASE_UNAVAILABLE problem (with Retry-After)
  // tells a load balancer to send requests to another server until it passes again.
  typed.get('/readyz', { schema: { hide: true, response: { 200: Health } } }, async () => {
    await desk.ready();
    return { status: 'ok' as const, now: desk.now().toISOString() };
  });

  app.register(doctorRoutes, { desk });
  app.register(slotRoutes, { desk });
  app.register(rotaRoutes, { desk });
  app.register(tokenRoutes, { desk });
  app.register(patientDataRoutes, { desk });
  app.register(eventRoutes, { desk, feed: opts.feed, recheck: recheckCredential(opts.access) });
  app.register(clockRoutes, { desk });
  app.register(boardRoutes, { desk });
  app.register(auditRoutes, { desk });
  app.register(reportRoutes, { desk });
  const { access } = opts;
  for (const routes of [accountRoutes, apiKeyRoutes, displayLinkRoutes]) app.register(routes, { access, timeZone: desk.timeZone });
  app.register(setupRoutes, { access, signInLimiter });
  app.register(displayPageRoutes, { access });
  app.register(patientRoutes, { desk, patients: opts.patients, webRoot: opts.webRoot, limits: opts.feed?.limits, heartbeatMs: opts.feed?.heartbeatMs, pollMs: opts.feed?.pollMs });
  app.register(slipRoutes, { patients: opts.patients });
  if (opts.webRoot !== undefined) app.register(webDesk, { root: opts.webRoot });

  return app;
}
