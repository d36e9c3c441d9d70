// The sign-in limit on a small app of its own: a route that accepts the password `right-password`
// and answers 401 UNAUTHENTICATED otherwise, with the limiter's hooks and the API's error handler.

import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AccessError } from '../../access/access-errors.ts';
import { errorHandler } from '../problem.ts';
import { SIGN_IN_LIMITS, SignInLimiter } from './sign-in-limit.ts';

function signInApp(limiter: SignInLimiter): FastifyInstance {
  const app = Fastify({ trustProxy: true });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.withTypeProvider<ZodTypeProvider>().post('/sign-in', {
    schema: { body: z.strictObject({ username: z.string().max(64), password: z.string() }) },
    ...limiter.hooks((request) => (request.body as { username: string }).username),
    handler: async (request) => {
      if (request.body.password !== 'right-password') throw new AccessError('UNAUTHENTICATED', 'wrong username or password');
      return { ok: true };
    },
  });
  return app;
}

describe('sign-in limit', () => {
  let limiter: SignInLimiter;
  let app: FastifyInstance;
  const T = Date.parse('2026-03-10T08:00:00Z');
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    limiter = new SignInLimiter();
    app = signInApp(limiter);
    await app.ready();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await app.close();
  });

  const attempt = async (username: string, password: string, address = '10.0.0.1') => {
    const res = await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, payload: JSON.stringify({ username, password }) });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.json() as { code?: string; detail?: string; retryAfterSeconds?: number } };
  };

  it('the documented numbers: 10 failures per username and 30 per address in 15 minutes', () => {
    expect(SIGN_IN_LIMITS).toEqual({ perUsername: 10, perAddress: 30, windowSeconds: 900 });
  });

  it('per username, from any address and in any letter case: the 11th attempt is 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 ? 'Anita' : 'ANITA', 'guess', `10.0.1.${i}`)).status).toBe(401);
    vi.setSystemTime(T + 60_000);
    const limited = await attempt('anita', 'right-password', '10.0.2.1');
    expect(limited).toEqual({
      status: 429,
      retryAfter: String(14 * 60),
      body: expect.objectContaining({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 14 * 60, detail: 'too many failed sign-in attempts for this username: try again in 14 min' }),
    });
    // Another name from the same addresses is not affected.
    expect((await attempt('ravi', 'right-password', '10.0.1.1')).status).toBe(200);
  });

  it('per address, whatever the usernames: the 31st attempt is 429; another address still signs in', async () => {
    for (let i = 0; i < 30; i++) expect((await attempt(`user${i}`, 'guess')).status).toBe(401);
    const limited = await attempt('someone', 'right-password');
    expect({ status: limited.status, code: limited.body.code }).toEqual({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(limited.body.detail).toMatch(/from this address/);
    expect((await attempt('someone', 'right-password', '10.0.0.2')).status).toBe(200);
  });

  it('only failures count: successes and bad requests (400) use nothing up', async () => {
    for (let i = 0; i < 9; i++) expect((await attempt('anita', 'guess')).status).toBe(401);
    for (let i = 0; i < 40; i++) expect((await attempt('anita', 'right-password')).status).toBe(200);
    for (let i = 0; i < 40; i++) {
      const bad = await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' }, payload: '{"username":"anita"}' });
      expect(bad.statusCode).toBe(400);
    }
    expect((await attempt('anita', 'guess')).status).toBe(401);
    expect((await attempt('anita', 'right-password')).status).toBe(429);
  });

  it('the budget comes back a window after the first failure', async () => {
    for (let i = 0; i < 10; i++) await attempt('anita', 'guess');
    vi.setSystemTime(T + 900_000 - 1);
    expect((await attempt('anita', 'right-password')).status).toBe(429);
    vi.setSystemTime(T + 900_000);
    expect((await attempt('anita', 'right-password')).status).toBe(200);
  });

  it('parallel attempts cannot slip past the limit', async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => attempt('anita', 'guess', `10.0.3.${i}`)));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15);
  });
});
