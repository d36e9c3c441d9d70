// SPEC 10: every mutation honours an Idempotency-Key header. The API fingerprints the request
// (method, path and the canonical JSON of its body); the desk stores the first answer under the key,
// replays it for the same fingerprint and refuses another one with IDEMPOTENCY_KEY_REUSED.

import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Idempotency } from '../service/types.ts';

/** JSON with object keys sorted at every level, so that key order never changes the fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`).digest('hex');
}

/** The request's idempotency, or undefined when it carries no Idempotency-Key. */
export function idempotencyOf(request: FastifyRequest): Idempotency | undefined {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || key === '') return undefined;
  // The path is the one requested (ids included), without the query string.
  const path = request.url.split('?')[0] ?? request.url;
  return { key, requestHash: requestHash(request.method, path, request.body) };
}
