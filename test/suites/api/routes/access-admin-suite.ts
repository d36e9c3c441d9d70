// The admin routes of accounts, API keys and display links, as a suite run on each store
// (accounts.test.ts on SQLite, accounts.pg.test.ts on PostgreSQL): each success, each refusal, and
// that a refused request changed nothing; secrets appear once, in the answer that made them.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../../src/access/passwords.ts';
import type { Store } from '../../../../src/store/store.ts';
import { accessHarness, type AccessHarness } from '../../../kits/api/access/test-kit.ts';
import { call, type Answer } from '../../../kits/api/test-kit.ts';

const CREATED = '2026-03-10T08:00:00+05:30';
const anita = { username: 'anita', displayName: 'Anita (front desk)', role: 'desk', doctorIds: 'all', password: 'front-desk-2026' };
const mehta = { username: 'dr.mehta', displayName: 'Dr. Mehta', role: 'doctor', doctorIds: ['doc-mehta'], password: 'stethoscope-42' };

function expectProblem(res: Answer, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code, type: res.type }, JSON.stringify(res.body)).toEqual({ status, code, type: 'application/problem+json; charset=utf-8' });
}

/** No answer of a list ever carries a secret, a hash of one, or a password hash. */
function expectNoSecrets(body: unknown, secrets: string[]): void {
  const text = JSON.stringify(body);
  for (const field of ['secret', 'secretHash', 'passwordHash', 'password']) expect(text).not.toContain(`"${field}"`);
  for (const s of secrets) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(hashSecret(s));
  }
}

export function accessAdminSuite(name: string, makeStore?: () => Promise<Store>): void {
  describe(`account administration over HTTP (${name})`, () => {
    let h: AccessHarness;
    let admin: { id: string };
    beforeAll(async () => {
      h = await accessHarness({ store: makeStore });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(async () => {
      // One enabled admin, `root`, shared by the file's tests (each uses usernames of its own).
      admin = (await h.access.findAccount('root')) ?? (await h.access.createAccount({ username: 'root', displayName: 'Root', role: 'admin', doctorIds: 'all', password: 'admin-password-1' }));
    });

    describe('accounts', () => {
      it('creates an account (201, never a password or hash), lists it, and it can sign in', async () => {
        const res = await call(h.sut, 'POST', '/api/accounts', { ...mehta, username: 'dr.mehta.1' });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          id: expect.any(String),
          username: 'dr.mehta.1',
          displayName: 'Dr. Mehta',
          role: 'doctor',
          doctorIds: ['doc-mehta'],
          disabled: false,
          createdAt: CREATED,
          updatedAt: CREATED,
        });
        const list = await call(h.sut, 'GET', '/api/accounts');
        expect(list.status).toBe(200);
        expect(list.body.find((a: { id: string }) => a.id === res.body.id)).toEqual(res.body);
        expectNoSecrets(list.body, []);
        expect(JSON.stringify(list.body)).not.toContain('stethoscope');
        expect((await h.access.signIn('DR.MEHTA.1', 'stethoscope-42')).actor).toMatchObject({ id: res.body.id, role: 'doctor' });
      });

      it('refuses bad bodies (400) and a taken username in any letter case (409), creating nothing', async () => {
        await call(h.sut, 'POST', '/api/accounts', { ...anita, username: 'anita.2' });
        const before = (await call(h.sut, 'GET', '/api/accounts')).body;
        const bad: [string, unknown][] = [
          ['no password', { ...anita, username: 'x1', password: undefined }],
          ['an unknown field', { ...anita, username: 'x2', admin: true }],
          ['a short password', { ...anita, username: 'x3', password: 'short' }],
          ['a username with a space', { ...anita, username: 'a b' }],
          ['a doctor for all doctors', { ...mehta, username: 'x4', doctorIds: 'all' }],
          ['a desk with a doctor list', { ...anita, username: 'x5', doctorIds: ['doc-1'] }],
          ['an unknown role', { ...anita, username: 'x6', role: 'superuser' }],
          ['a control character', { ...anita, username: 'x7', displayName: 'Anita\u0007' }],
          ['not JSON', '{"username":'],
        ];
        for (const [why, body] of bad) {
          const res = await call(h.sut, 'POST', '/api/accounts', body);
          expectProblem(res, 400, 'VALIDATION_FAILED');
          expect(res.body.detail, why).toEqual(expect.any(String));
        }
        const taken = await call(h.sut, 'POST', '/api/accounts', { ...anita, username: 'ANITA.2', password: 'another-pass-1' });
        expectProblem(taken, 409, 'USERNAME_TAKEN');
        expect((await call(h.sut, 'GET', '/api/accounts')).body).toEqual(before);
        // The first anita's password is untouched by the refused second one.
        expect((await h.access.signIn('anita.2', 'front-desk-2026')).actor.name).toBe('Anita (front desk)');
      });

      it('changes name, role with doctors, and disabled (which ends the sessions); 404 for an unknown id', async () => {
        const m = (await call(h.sut, 'POST', '/api/accounts', { ...mehta, username: 'dr.patch' })).body;
        const session = await h.access.signIn('dr.patch', 'stethoscope-42');
        const renamed = await call(h.sut, 'PATCH', `/api/accounts/${m.id}`, { displayName: 'Dr. R. Mehta', doctorIds: ['doc-mehta', 'doc-rao'] });
        expect(renamed.status).toBe(200);
        expect(renamed.body).toEqual({ ...m, displayName: 'Dr. R. Mehta', doctorIds: ['doc-mehta', 'doc-rao'] });
        expect((await call(h.sut, 'PATCH', `/api/accounts/${m.id}`, { role: 'desk' })).body).toMatchObject({ role: 'desk', doctorIds: 'all' });
        expect(await h.access.resolveSession(session.secret)).toMatchObject({ role: 'desk' });
        const off = await call(h.sut, 'PATCH', `/api/accounts/${m.id}`, { disabled: true });
        expect(off.body).toMatchObject({ disabled: true });
        expect(await h.access.resolveSession(session.secret)).toBeNull();
        expectProblem(await call(h.sut, 'PATCH', '/api/accounts/no-such-account', { disabled: true }), 404, 'NOT_FOUND');
      });

      it('refuses a bad change (400) and one that leaves no enabled admin (409 LAST_ADMIN), changing nothing', async () => {
        const m = (await call(h.sut, 'POST', '/api/accounts', { ...mehta, username: 'dr.refused' })).body;
        const before = (await call(h.sut, 'GET', '/api/accounts')).body;
        for (const body of [{}, { role: 'doctor', doctorIds: 'all' }, { doctorIds: [] }, { disabled: 'yes' }, { displayName: '' }, { username: 'renamed' }]) {
          expectProblem(await call(h.sut, 'PATCH', `/api/accounts/${m.id}`, body), 400, 'VALIDATION_FAILED');
        }
        const rootSession = await h.access.signIn('root', 'admin-password-1');
        for (const body of [{ role: 'desk' }, { disabled: true }]) {
          const res = await call(h.sut, 'PATCH', `/api/accounts/${admin.id}`, body);
          expectProblem(res, 409, 'LAST_ADMIN');
          expect(res.body.detail).toMatch(/only enabled admin/);
        }
        expect((await call(h.sut, 'GET', '/api/accounts')).body).toEqual(before);
        expect(await h.access.resolveSession(rootSession.secret)).toMatchObject({ role: 'admin' });
      });

      it("resets a password (204): the old one stops working and the account's sessions end", async () => {
        const a = (await call(h.sut, 'POST', '/api/accounts', { ...anita, username: 'anita.pw' })).body;
        const session = await h.access.signIn('anita.pw', 'front-desk-2026');
        const res = await call(h.sut, 'PUT', `/api/accounts/${a.id}/password`, { password: 'brand-new-pass-7' });
        expect(res.status).toBe(204);
        expect(res.body).toBe('');
        expect(await h.access.resolveSession(session.secret)).toBeNull();
        await expect(h.access.signIn('anita.pw', 'front-desk-2026')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
        expect((await h.access.signIn('anita.pw', 'brand-new-pass-7')).actor.id).toBe(a.id);
      });

      it('refuses a bad password (400) and an unknown account (404), changing nothing', async () => {
        const a = (await call(h.sut, 'POST', '/api/accounts', { ...anita, username: 'anita.keep' })).body;
        const session = await h.access.signIn('anita.keep', 'front-desk-2026');
        for (const body of [{ password: 'short' }, {}, { password: 'long-enough-1', extra: 1 }]) {
          expectProblem(await call(h.sut, 'PUT', `/api/accounts/${a.id}/password`, body), 400, 'VALIDATION_FAILED');
        }
        expectProblem(await call(h.sut, 'PUT', '/api/accounts/nobody/password', { password: 'long-enough-1' }), 404, 'NOT_FOUND');
        expect(await h.access.resolveSession(session.secret)).not.toBeNull();
        expect((await h.access.signIn('anita.keep', 'front-desk-2026')).actor.id).toBe(a.id);
      });
    });

    describe('API keys', () => {
      it('creates a key whose secret is shown once, works as a bearer until revoked; lists never show it', async () => {
        const res = await call(h.sut, 'POST', '/api/api-keys', { name: 'HMIS bridge', role: 'desk', doctorIds: 'all' });
        expect(res.status).toBe(201);
        expect(res.headers['cache-control']).toBe('no-store');
        const { key, secret } = res.body;
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(key).toEqual({ id: expect.any(String), name: 'HMIS bridge', role: 'desk', doctorIds: 'all', createdAt: CREATED, lastUsedAt: null, revokedAt: null });
        expect(await h.access.resolveApiKey(secret)).toMatchObject({ kind: 'apiKey', id: key.id, role: 'desk' });
        const list = await call(h.sut, 'GET', '/api/api-keys');
        expect(list.body.find((k: { id: string }) => k.id === key.id)).toEqual({ ...key, lastUsedAt: CREATED });
        expectNoSecrets(list.body, [secret]);

        const revoked = await call(h.sut, 'DELETE', `/api/api-keys/${key.id}`);
        expect(revoked.status).toBe(204);
        expect(await h.access.resolveApiKey(secret)).toBeNull();
        expect((await call(h.sut, 'GET', '/api/api-keys')).body.find((k: { id: string }) => k.id === key.id).revokedAt).toBe(CREATED);
        expect((await call(h.sut, 'DELETE', `/api/api-keys/${key.id}`)).status).toBe(204);
      });

      it('refuses a bad key (400) and revoking an unknown one (404), changing nothing', async () => {
        const before = (await call(h.sut, 'GET', '/api/api-keys')).body;
        for (const body of [{ name: 'kiosk', role: 'doctor', doctorIds: [] }, { name: 'kiosk', role: 'doctor', doctorIds: 'all' }, { name: '', role: 'desk', doctorIds: 'all' }, { name: 'k', role: 'root', doctorIds: 'all' }, { name: 'k', role: 'desk', doctorIds: 'all', secret: 'mine' }]) {
          expectProblem(await call(h.sut, 'POST', '/api/api-keys', body), 400, 'VALIDATION_FAILED');
        }
        expectProblem(await call(h.sut, 'DELETE', '/api/api-keys/no-such-key'), 404, 'NOT_FOUND');
        expect((await call(h.sut, 'GET', '/api/api-keys')).body).toEqual(before);
      });
    });

    describe('display links', () => {
      it('creates a link with its path, shown once; it opens the board until revoked; lists never show it', async () => {
        const res = await call(h.sut, 'POST', '/api/display-links', { name: 'Lobby, ground floor', doctorIds: ['doc-mehta', 'doc-rao'] });
        expect(res.status).toBe(201);
        const { link, secret, path } = res.body;
        expect(link).toEqual({ id: expect.any(String), name: 'Lobby, ground floor', doctorIds: ['doc-mehta', 'doc-rao'], createdAt: CREATED, revokedAt: null });
        expect(path).toBe(`/display/${secret}`);
        expect(await h.access.resolveDisplayLink(secret)).toMatchObject({ kind: 'display', id: link.id, doctorIds: ['doc-mehta', 'doc-rao'] });
        const list = await call(h.sut, 'GET', '/api/display-links');
        expect(list.body.find((l: { id: string }) => l.id === link.id)).toEqual(link);
        expectNoSecrets(list.body, [secret]);
        expect((await call(h.sut, 'DELETE', `/api/display-links/${link.id}`)).status).toBe(204);
        expect(await h.access.resolveDisplayLink(secret)).toBeNull();
        expect((await call(h.sut, 'GET', '/api/display-links')).body.find((l: { id: string }) => l.id === link.id).revokedAt).toBe(CREATED);
      });

      it('refuses a bad link (400) and revoking an unknown one (404), changing nothing', async () => {
        const before = (await call(h.sut, 'GET', '/api/display-links')).body;
        for (const body of [{ name: 'Lobby', doctorIds: [] }, { name: 'Lobby', doctorIds: ['d1', 'd1'] }, { name: 'Lobby' }, { name: 'Lobby', doctorIds: 'all', role: 'admin' }]) {
          expectProblem(await call(h.sut, 'POST', '/api/display-links', body), 400, 'VALIDATION_FAILED');
        }
        expectProblem(await call(h.sut, 'DELETE', '/api/display-links/no-such-link'), 404, 'NOT_FOUND');
        expect((await call(h.sut, 'GET', '/api/display-links')).body).toEqual(before);
      });
    });
  });
}
