// The desk's HTTP client against a stand-in fetch: the headers the cross-site rule needs, and what a
// 401 does (moves to sign-in, except for the calls that sign in).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onUnauthenticated } from './api.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  });
  return sent;
}

const problem = (status: number, code: string, detail: string) => ({ type: 'about:blank', title: code, status, code, detail });

afterEach(() => {
  vi.unstubAllGlobals();
  onUnauthenticated(null);
});

describe('what every change carries', () => {
  it('sends content-type application/json on every non-GET, with or without a body', async () => {
    const sent = answer(204, undefined);
    await api.revokeApiKey('k1');
    await api.signOut();
    await api.act('t1', 'check-in').catch(() => undefined);
    await api.updateAccount('a1', { disabled: true }).catch(() => undefined);
    expect(sent.map((s) => [s.method, s.url, s.headers['content-type']])).toEqual([
      ['DELETE', '/api/api-keys/k1', 'application/json'],
      ['DELETE', '/api/session', 'application/json'],
      ['POST', '/api/tokens/t1/check-in', 'application/json'],
      ['PATCH', '/api/accounts/a1', 'application/json'],
    ]);
    expect(sent[0]!.body).toBeUndefined();
    expect(sent[3]!.body).toBe('{"disabled":true}');
  });

  it('sends no content-type on a read, and no Idempotency-Key when signing in', async () => {
    const sent = answer(200, []);
    await api.accounts();
    await api.signIn('anita', 'a long password').catch(() => undefined);
    expect(sent[0]!.headers['content-type']).toBeUndefined();
    expect(sent[1]!.headers['idempotency-key']).toBeUndefined();
    expect(sent[1]!.headers['content-type']).toBe('application/json');
  });
});

describe('a 401', () => {
  it('from a call of a screen ends the session: the app’s handler runs, and the caller gets the refusal', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    answer(401, problem(401, 'UNAUTHENTICATED', 'sign in first'));
    const err = await api.board(['d1']).catch((e: unknown) => e);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.status).toBe(401);
  });

  it('from signing in is a wrong password, said to the sign-in form, not a move to sign-in', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    answer(401, problem(401, 'UNAUTHENTICATED', 'wrong username or password'));
    await expect(api.signIn('anita', 'wrong password')).rejects.toThrow('wrong username or password');
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('a 403 is not the end of the session', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    answer(403, problem(403, 'FORBIDDEN', 'not for you'));
    await expect(api.accounts()).rejects.toThrow('not for you');
    expect(handler).not.toHaveBeenCalled();
  });
});

it('keeps the Retry-After of a 429 in seconds', async () => {
  answer(429, problem(429, 'TOO_MANY_REQUESTS', 'too many sign-in attempts'), { 'retry-after': '540' });
  const err = (await api.signIn('anita', 'x').catch((e: unknown) => e)) as ApiError;
  expect(err.problem.status).toBe(429);
  expect(err.retryAfterSeconds).toBe(540);
});
