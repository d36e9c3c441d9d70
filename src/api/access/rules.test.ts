// Every served route has a rule (SPEC 11): a route without one stops the app from being built, and
// HEAD answers as GET does.

import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../../test/kits/api/test-kit.ts';
import { ruleFor } from './authorize.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('routes and their rules', () => {
  it('a route with no rule in ROUTES cannot be added', async () => {
    h = await harness();
    const { buildApp } = await import('../app.ts');
    const app = buildApp({ desk: h.desk, access: h.access, patients: h.patients });
    try {
      expect(() => app.get('/api/unruled', async () => ({ secret: true }))).toThrow(/no access rule.*ROUTES/);
      app.register(async (child) => {
        child.post('/api/also-unruled', async () => ({}));
      });
      await expect(app.ready()).rejects.toThrow(/POST \/api\/also-unruled: no access rule/);
    } finally {
      await app.close().catch(() => {});
    }
  });

  it('HEAD takes the GET rule; the wildcard pages are public', () => {
    expect(ruleFor('HEAD', '/api/doctors')?.needs).toBe('readDoctors');
    expect(ruleFor('GET', '/assets/*')?.needs).toBe('public');
    expect(ruleFor('GET', '/docs/static/*')?.needs).toBe('public');
    expect(ruleFor('POST', '/api/board')).toBeUndefined();
  });

  it('HEAD of a protected route is refused like its GET', async () => {
    h = await harness();
    const board = await h.as('display', ['doc-x']);
    expect((await h.sut.inject({ method: 'HEAD', url: '/api/doctors', headers: board.headers })).statusCode).toBe(403);
    expect((await h.sut.inject({ method: 'HEAD', url: '/api/doctors', headers: { authorization: 'Bearer not-a-key' } })).statusCode).toBe(401);
    expect((await h.sut.inject({ method: 'HEAD', url: '/api/doctors' })).statusCode).toBe(200);
  });
});
