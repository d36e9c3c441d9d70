// A query string whose percent-escapes are not UTF-8 (e.g. %ED%A0%80, a lone surrogate's bytes) is
// kept verbatim by the query parser instead of being refused, so `?doctors=%ED%A0%80` would look up a
// doctor named "%ED%A0%80". Refusing it here, before routing, makes it a 400 naming the parameter,
// like any other text the schemas refuse.

import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../service/types.ts';
import type { InvalidParam } from './problem.ts';

const decodes = (s: string): boolean => {
  try {
    decodeURIComponent(s.replaceAll('+', ' '));
    return true;
  } catch {
    return false;
  }
};

/** onRequest hook: every key and value of the query string must decode as UTF-8. */
export async function checkQueryEncoding(request: FastifyRequest): Promise<void> {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return;
  const errors: InvalidParam[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (!decodes(key)) errors.push({ in: 'querystring', path: '', message: 'a parameter name is not percent-encoded UTF-8' });
    else if (!decodes(value)) errors.push({ in: 'querystring', path: `/${decodeURIComponent(key.replaceAll('+', ' '))}`, message: 'is not percent-encoded UTF-8' });
  }
  const first = errors[0];
  if (first) throw new ServiceError('VALIDATION_FAILED', `querystring${first.path ? ` ${first.path}` : ''}: ${first.message}`, { errors });
}
