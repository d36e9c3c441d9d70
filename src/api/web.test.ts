// The web desk served by the API's server: each screen's path answers index.html (the browser app
// routes it), hashed assets are cached for good, and everything else stays the API's.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../test/kits/api/test-kit.ts';
import { webDeskBuilt } from './web.ts';

let root: string;
let h: Harness | undefined;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'opd-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>desk</title><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("desk")');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => h?.close());

describe('the built desk', () => {
  it('answers index.html, never cached, for every screen', async () => {
    h = await harness({ webRoot: root });
    for (const url of ['/', '/signin', '/signin?next=%2Fadmin', '/setup', '/admin', '/board', '/board?doctors=a,b', '/doctor/01abc']) {
      const res = await h.sut.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with long caching, and a missing one is a 404 problem', async () => {
    h = await harness({ webRoot: root });
    const js = await h.sut.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    const missing = await h.sut.inject({ method: 'GET', url: '/assets/nothing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const escape = await h.sut.inject({ method: 'GET', url: '/assets/..%2findex.html' });
    expect(escape.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('leaves the API and other paths alone', async () => {
    h = await harness({ webRoot: root });
    const unknown = await h.sut.inject({ method: 'GET', url: '/api/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
    expect((await h.sut.inject({ method: 'GET', url: '/doctor' })).statusCode).toBe(404);
    expect((await h.sut.inject({ method: 'POST', url: '/' })).statusCode).toBe(404);
    // screens are not part of the API's contract
    const doc = (await h.sut.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths).filter((p: string) => !p.startsWith('/api/'))).toEqual([]);
  });
});

describe('a desk that is not built', () => {
  it('says how to build it on each screen, and the API works as ever', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'opd-web-empty-'));
    try {
      expect(webDeskBuilt(empty)).toBe(false);
      h = await harness({ webRoot: empty });
      const res = await h.sut.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:web');
      expect((await h.sut.inject({ method: 'GET', url: '/api/doctors' })).statusCode).toBe(200);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
