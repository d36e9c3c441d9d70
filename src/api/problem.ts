// Errors as RFC 9457 problem details (application/problem+json). ONE table maps every machine code
// to its HTTP status; the service throws ServiceError with a code and never knows about HTTP. The
// transport's own refusals (bad JSON, wrong content type, oversized body, unknown route) come out in
// the same shape, and a real 5xx never shows its internals.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AccessError, type AccessErrorCode } from '../access/access-errors.ts';
import { ServiceError, type ErrorCode } from '../service/types.ts';
import { StoreUnavailableError } from '../store/errors.ts';

/** Codes of the transport and of the database underneath, beside the service's: they never come from the desk. */
export type TransportCode =
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'HEADERS_TOO_LARGE'
  | 'FEED_FULL'
  | 'SERVICE_UNAVAILABLE'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL';
export type ProblemCode = ErrorCode | AccessErrorCode | TransportCode;

/**
 * The one table: machine code → HTTP status and a short, stable title, and for a passing condition
 * the seconds a client should wait before trying again (sent as Retry-After).
 */
export const PROBLEMS: Readonly<Record<ProblemCode, { status: number; title: string; retryAfterSeconds?: number }>> = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in first' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  INVALID_TRANSITION: { status: 409, title: 'The token cannot make this change' },
  DUPLICATE_TOKEN: { status: 409, title: 'The patient already has a live token with this doctor that day' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'The Idempotency-Key was used for another request' },
  SLOT_OVERLAP: { status: 409, title: 'The slot overlaps another slot of the doctor' },
  SLOT_ENDED: { status: 409, title: 'The slot has ended' },
  NO_OPEN_SLOT: { status: 409, title: 'The doctor has no OPD slot left that day' },
  QUEUE_EMPTY: { status: 404, title: 'Nobody is waiting to be called' },
  CLOCK_NOT_MANUAL: { status: 404, title: 'The clock can only be set when the server runs with OPD_CLOCK=manual' },
  USERNAME_TAKEN: { status: 409, title: 'The username is taken' },
  SETUP_CLOSED: { status: 409, title: 'The first-run set-up is closed: an admin exists' },
  LAST_ADMIN: { status: 409, title: 'This would leave no enabled admin' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many attempts: wait before trying again' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'The server does not serve this method' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request did not arrive in time' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be JSON' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  FEED_FULL: { status: 503, title: 'Too many live feeds are open' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The server is shutting down' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database is unavailable', retryAfterSeconds: 2 },
  INTERNAL: { status: 500, title: 'Internal error' },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` is a URN per code: stable and unique, without promising a web page behind it. */
export function problemType(code: ProblemCode): string {
  return `urn:opd-tokens:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function problem(code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = PROBLEMS[code];
  // The extensions never overwrite the members that RFC 9457 defines.
  return { ...extensions, type: problemType(code), title, status, detail, code };
}

/** One issue of a refused request, where it was (body, params, querystring, headers) and what is wrong. */
export interface InvalidParam {
  in: string;
  path: string;
  message: string;
}

/** Turns any error that reaches the edge into a problem: the one mapping of the app. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ServiceError) {
    return problem(err.code, err.message, err.details);
  }
  if (err instanceof AccessError) {
    return problem(err.code, err.message, err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds });
  }
  if (err instanceof StoreUnavailableError) {
    // `outcome: unknown`: the commit may have happened. The idempotency record commits with the
    // change, so a retry with the same Idempotency-Key answers what really happened.
    return err.outcome === 'unknown'
      ? problem('DATABASE_UNAVAILABLE', 'The connection to the database was lost while the change was being committed: it may or may not have been made. Retry with the same Idempotency-Key to get its answer.', { outcome: 'unknown' })
      : problem('DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was changed. Try again shortly.', { outcome: 'not-committed' });
  }
  const e = err as Partial<FastifyError> & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(err) || Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'request';
    const errors: InvalidParam[] = (e.validation ?? []).map((v) => ({
      in: where,
      path: v.instancePath === '/' ? '' : v.instancePath,
      message: v.message ?? 'is not valid',
    }));
    const first = errors[0];
    const detail = first
      ? `${where}${first.path ? ` ${first.path}` : ''}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
      : `${where} is not valid`;
    return problem('VALIDATION_FAILED', detail, { errors });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem('VALIDATION_FAILED', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('VALIDATION_FAILED', 'The request body is empty although its content type is JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('VALIDATION_FAILED', 'The Content-Length header does not match the body.');
  }
  if (err instanceof SyntaxError && e.statusCode === 400) {
    return problem('VALIDATION_FAILED', 'The request body is not valid JSON.');
  }
  // Any other refusal of the transport (bad URL, bad header…) is the client's: keep its status and
  // its message, which Fastify writes for clients, never with internals.
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code: ProblemCode = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED';
    return { ...problem(code, e.message ?? 'The request is not valid.'), status };
  }
  if (status === 503) return problem('SERVICE_UNAVAILABLE', 'The server is shutting down; try again shortly.');
  return problem('INTERNAL', 'internal error');
}

/** Sends a problem as application/problem+json, with the request id to quote to the operators. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem): FastifyReply {
  const withRequest: Problem = { ...body, instance: request.url.split('?')[0], requestId: String(request.id) };
  // A refusal that knows how long to wait (a sign-in limit) says so; else the table's fixed wait.
  const retryAfter = typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : PROBLEMS[body.code]?.retryAfterSeconds;
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  // An API client is told how to authenticate; a page (the display link's) is not asked for a bearer.
  if (body.code === 'UNAUTHENTICATED' && request.url.startsWith('/api/')) reply.header('www-authenticate', 'Bearer');
  // A string body skips the route's response serializer: the problem is never reshaped.
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(withRequest));
}

/** The fields a refusal names (their paths, never their values), for its log line. */
function refusedFields(body: Problem): { fields?: string[] } {
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return {};
  return { fields: errors.map((e) => String((e as { path?: unknown }).path ?? '')) };
}

/** The app's one error handler. */
export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toProblem(err);
  // An outage is not a bug of the request: one line each, without a stack, so the log stays readable.
  if (body.code === 'DATABASE_UNAVAILABLE') request.log.warn({ code: body.code, outcome: body.outcome, cause: String((err as Error).cause ?? err) }, 'database unavailable');
  else if (body.status >= 500) request.log.error({ err }, 'request failed');
  // Never the detail: it may quote what was sent (a phone that is no number, a name's text), and the
  // log holds no personal data; the code and the fields it names are what an operator needs.
  else request.log.info({ code: body.code, ...refusedFields(body) }, 'request refused');
  return sendProblem(request, reply, body);
}

/** The methods HTTP APIs use: one of them without a route is a 404; any other method a 405. */
const COMMON_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Unknown routes are problems too: a 404, or a 405 (with Allow) for a method no API uses, such as
 * PROPFIND. `served` is the set of methods the app's routes use, filled as routes are added.
 */
export function notFoundHandler(served: ReadonlySet<string>) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0];
    if (!COMMON_METHODS.has(request.method)) {
      reply.header('allow', [...served].join(', '));
      return sendProblem(request, reply, problem('METHOD_NOT_ALLOWED', `This server does not serve the method ${request.method}.`));
    }
    return sendProblem(request, reply, problem('NOT_FOUND', `There is no route ${request.method} ${path}.`));
  };
}
