// SPEC 10: the fingerprint of a request under an Idempotency-Key. It is stored with the first answer,
// so its form must stay the same across versions: a retry after an upgrade must still match.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { canonicalJson, idempotencyOf, requestHash } from './idempotency.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const request = (headers: Record<string, string | string[]>, url = '/api/tokens', body: unknown = { a: 1 }) =>
  ({ headers, url, method: 'POST', body }) as unknown as FastifyRequest;

describe('SPEC 10: the request fingerprint', () => {
  it('canonical JSON sorts keys at every level, keeps array order, and leaves out undefined fields', () => {
    expect(canonicalJson({ c: 1, a: { z: [3, { y: null, x: 'é' }], b: true }, b: undefined, d: 'x' })).toBe('{"a":{"b":true,"z":[3,{"x":"é","y":null}]},"c":1,"d":"x"}');
    expect(canonicalJson({ b: 2, a: 1 })).toBe(canonicalJson({ a: 1, b: 2 }));
    expect([canonicalJson(undefined), canonicalJson(null), canonicalJson([]), canonicalJson({})]).toEqual(['null', 'null', '[]', '{}']);
  });

  it('is the SHA-256 of METHOD, path and canonical body on three lines, whatever the method’s case', () => {
    const expected = sha256('POST\n/api/tokens\n{"a":2,"b":1}');
    expect(requestHash('POST', '/api/tokens', { b: 1, a: 2 })).toBe(expected);
    expect(requestHash('post', '/api/tokens', { a: 2, b: 1 })).toBe(expected);
  });

  it('no header or an empty one is no idempotency; the first of repeated headers is the key; the query string is not fingerprinted', () => {
    expect(idempotencyOf(request({}))).toBeUndefined();
    expect(idempotencyOf(request({ 'idempotency-key': '' }))).toBeUndefined();
    expect(idempotencyOf(request({ 'idempotency-key': ['k-1', 'k-2'] }))).toEqual({ key: 'k-1', requestHash: sha256('POST\n/api/tokens\n{"a":1}') });
    expect(idempotencyOf(request({ 'idempotency-key': 'k-3' }, '/api/tokens?lang=hi'))).toEqual({ key: 'k-3', requestHash: sha256('POST\n/api/tokens\n{"a":1}') });
  });
});
