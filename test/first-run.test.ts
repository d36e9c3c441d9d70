// The first start of a real server on an empty database (SPEC 11): it prints a one-time set-up link,
// whose code creates the first admin once through POST /api/setup; a restart with an admin prints
// none. With OPD_ADMIN_PASSWORD the account `admin` is made at start instead, once.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http, runOpd, startServer } from './kits/process-kit.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-first-run-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the first start', () => {
  it('prints a set-up link whose code creates the first admin once; a restart prints none', async () => {
    const env = { OPD_DATA_DIR: freshDir() };
    let s = await startServer(env, { name: 'first start' });
    try {
      const out = s.output();
      const link = new RegExp(`^ {4}${s.url.replaceAll('.', '\\.')}/setup#([A-Za-z0-9_-]{43})$`, 'm').exec(out);
      expect(link, out).not.toBeNull();
      expect(out).toMatch(/No administrator yet\. Open this link to create the first one \(it works once, for 24 hours\)/);
      const code = link![1]!;
      expect((await http(s.url, 'GET', '/api/setup')).body).toEqual({ open: true });

      const res = await fetch(`${s.url}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, username: 'asha', displayName: 'Asha (IT)', password: 'first-admin-pass' }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ kind: 'account', name: 'Asha (IT)', role: 'admin', username: 'asha', idleMinutes: 480 });
      expect(res.headers.get('set-cookie')).toMatch(/^opd_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);

      const again = await http(s.url, 'POST', '/api/setup', { code, username: 'mallory', password: 'second-admin-pass' });
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect((await http(s.url, 'GET', '/api/setup')).body).toEqual({ open: false });
      await s.stop();

      s = await startServer(env, { name: 'second start' });
      expect(s.output()).not.toMatch(/setup#|No administrator/);
    } finally {
      await s.stop();
    }
    const users = await runOpd(['user', 'list'], env);
    expect(users.stdout).toMatch(/^asha\s+admin\s+all doctors\s+enabled\s+Asha \(IT\)$/m);
  });

  it('OPD_ADMIN_PASSWORD creates `admin` at the first start, prints no set-up link, and never changes it after', async () => {
    const dir = freshDir();
    let s = await startServer({ OPD_DATA_DIR: dir, OPD_ADMIN_PASSWORD: 'from-the-vault-1' });
    try {
      expect(s.output()).toContain('admin    the account `admin` was created with the password in OPD_ADMIN_PASSWORD');
      expect(s.output()).not.toMatch(/setup#/);
      expect((await http(s.url, 'GET', '/api/setup')).body).toEqual({ open: false });
      await s.stop();
      s = await startServer({ OPD_DATA_DIR: dir, OPD_ADMIN_PASSWORD: 'another-value-2' });
      expect(s.output()).not.toMatch(/was created|setup#/);
    } finally {
      await s.stop();
    }
  });

  it('refuses to start with a weak OPD_ADMIN_PASSWORD, without printing it', async () => {
    const run = await runOpd(['serve'], { OPD_DATA_DIR: freshDir(), OPD_ADMIN_PASSWORD: 'hunter2', PORT: '0' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/OPD_ADMIN_PASSWORD: a password needs at least 10 characters/);
    expect(run.stderr + run.stdout).not.toContain('hunter2');
  });
});
