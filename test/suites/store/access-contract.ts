// What both stores' access repositories promise, as a vitest suite. Each store's access test file
// calls accessContract with a factory that opens a fresh, migrated, empty store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountRecord, ApiKeyRecord, DisplayLinkRecord, SessionRecord } from '../../../src/store/access-repo.ts';
import { DuplicateKeyError } from '../../../src/store/errors.ts';
import type { Store } from '../../../src/store/store.ts';

const T0 = Date.UTC(2026, 0, 5, 3, 30);

function account(id: string, username: string, over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    username,
    displayName: `Name of ${username}`,
    role: 'desk',
    doctorIds: 'all',
    passwordHash: `scrypt$16384$8$1$salt${id}$key${id}`,
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

function session(secretHash: string, accountId: string, createdAt = T0): SessionRecord {
  return { secretHash, accountId, createdAt, lastSeenAt: createdAt, userAgent: 'Firefox/140', address: '10.0.0.7' };
}

function apiKey(id: string, over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return { id, name: `key ${id}`, role: 'desk', doctorIds: 'all', secretHash: `hash-${id}`, createdAt: T0, lastUsedAt: null, revokedAt: null, ...over };
}

function displayLink(id: string, over: Partial<DisplayLinkRecord> = {}): DisplayLinkRecord {
  return { id, name: `board ${id}`, doctorIds: ['doc-1', 'doc-2'], secretHash: `link-${id}`, createdAt: T0, revokedAt: null, ...over };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

export function accessContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Access repository contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('accounts', () => {
      it('inserts and reads back every field, by id and by username in any letter case', async () => {
        const sut = store.access;
        const doc = account('acc-2', 'DrMehta', { role: 'doctor', doctorIds: ['doc-1', 'doc-3'], displayName: 'Dr. Mehta — ENT' });
        const desk = account('acc-1', 'anita');
        await sut.insertAccount(doc);
        await sut.insertAccount(desk);
        expect(await sut.getAccount('acc-2')).toEqual(doc);
        expect(await sut.getAccountByUsername('drmehta')).toEqual(doc);
        expect(await sut.getAccountByUsername('ANITA')).toEqual(desk);
        expect(await sut.getAccountByUsername('nobody')).toBeNull();
        expect(await sut.getAccount('nobody')).toBeNull();
        expect((await sut.listAccounts()).map((a) => a.username)).toEqual(['anita', 'DrMehta']);
      });

      it('refuses a username taken in another letter case, and a taken id, changing nothing', async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'Anita'));
        const byName = await rejection(sut.insertAccount(account('acc-2', 'ANITA')));
        expect(byName).toBeInstanceOf(DuplicateKeyError);
        expect(byName).toMatchObject({ key: 'account.username', value: 'ANITA' });
        const byId = await rejection(sut.insertAccount(account('acc-1', 'someone')));
        expect(byId).toMatchObject({ key: 'account.id', value: 'acc-1' });
        expect((await sut.listAccounts()).map((a) => a.id)).toEqual(['acc-1']);
      });

      it('counts only enabled admins', async () => {
        const sut = store.access;
        expect(await sut.countActiveAdmins()).toBe(0);
        await sut.insertAccount(account('a1', 'root', { role: 'admin' }));
        await sut.insertAccount(account('a2', 'boss', { role: 'admin', disabled: true }));
        await sut.insertAccount(account('d1', 'desk1'));
        expect(await sut.countActiveAdmins()).toBe(1);
        await sut.setAccountDisabled('a1', true, T0 + 1);
        expect(await sut.countActiveAdmins()).toBe(0);
      });

      it('replaces a password hash and records when', async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'anita'));
        expect(await sut.setPasswordHash('acc-1', 'scrypt$new', T0 + 5000)).toBe(true);
        expect(await sut.getAccount('acc-1')).toMatchObject({ passwordHash: 'scrypt$new', updatedAt: T0 + 5000, createdAt: T0 });
        expect(await sut.setPasswordHash('nobody', 'x', T0)).toBe(false);
      });

      it("disabling ends the account's sessions in the same change, and only its own", async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'anita'));
        await sut.insertAccount(account('acc-2', 'ravi'));
        await sut.insertSession(session('s1', 'acc-1'));
        await sut.insertSession(session('s2', 'acc-1'));
        await sut.insertSession(session('s3', 'acc-2'));
        expect(await sut.setAccountDisabled('acc-1', true, T0 + 60_000)).toBe(true);
        expect(await sut.getAccount('acc-1')).toMatchObject({ disabled: true, updatedAt: T0 + 60_000 });
        expect(await sut.getSession('s1')).toBeNull();
        expect(await sut.getSession('s2')).toBeNull();
        expect(await sut.getSession('s3')).toEqual(session('s3', 'acc-2'));
        expect(await sut.setAccountDisabled('acc-1', false, T0 + 120_000)).toBe(true);
        expect((await sut.getAccount('acc-1'))!.disabled).toBe(false);
        expect(await sut.setAccountDisabled('nobody', true, T0)).toBe(false);
      });

      it('updates the named fields, keeps the others, and ends the sessions of a disabled account', async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'mehta', { role: 'doctor', doctorIds: ['doc-1'] }));
        await sut.insertAccount(account('adm-1', 'root', { role: 'admin' }));
        await sut.insertSession(session('s1', 'acc-1'));
        const renamed = await sut.updateAccount('acc-1', { displayName: 'Dr. Mehta', doctorIds: ['doc-1', 'doc-2'] }, T0 + 5);
        const expected = { ...account('acc-1', 'mehta', { role: 'doctor' }), displayName: 'Dr. Mehta', doctorIds: ['doc-1', 'doc-2'], updatedAt: T0 + 5 };
        expect(renamed).toEqual({ outcome: 'updated', account: expected });
        expect(await sut.getAccount('acc-1')).toEqual(expected);
        expect(await sut.getSession('s1')).not.toBeNull();
        await sut.updateAccount('acc-1', { role: 'desk', doctorIds: 'all' }, T0 + 6);
        expect(await sut.getAccount('acc-1')).toMatchObject({ role: 'desk', doctorIds: 'all', displayName: 'Dr. Mehta', disabled: false });
        expect(await sut.getSession('s1')).not.toBeNull();
        await sut.updateAccount('acc-1', { disabled: true }, T0 + 7);
        expect(await sut.getAccount('acc-1')).toMatchObject({ disabled: true, updatedAt: T0 + 7 });
        expect(await sut.getSession('s1')).toBeNull();
        expect(await sut.updateAccount('nobody', { disabled: true }, T0)).toEqual({ outcome: 'not-found' });
      });

      it('refuses to leave no enabled admin, by a role change or by disabling, changing nothing', async () => {
        const sut = store.access;
        const root = account('adm-1', 'root', { role: 'admin' });
        await sut.insertAccount(root);
        await sut.insertAccount(account('adm-2', 'off', { role: 'admin', disabled: true }));
        await sut.insertSession(session('s1', 'adm-1'));
        expect(await sut.updateAccount('adm-1', { role: 'desk' }, T0 + 1)).toEqual({ outcome: 'last-admin' });
        expect(await sut.updateAccount('adm-1', { disabled: true }, T0 + 1)).toEqual({ outcome: 'last-admin' });
        expect(await sut.getAccount('adm-1')).toEqual(root);
        expect(await sut.getSession('s1')).not.toBeNull();
        // Renaming the last admin, or changing a disabled admin, is fine.
        expect((await sut.updateAccount('adm-1', { displayName: 'Root' }, T0 + 2)).outcome).toBe('updated');
        expect((await sut.updateAccount('adm-2', { role: 'desk' }, T0 + 2)).outcome).toBe('updated');
        await sut.updateAccount('adm-2', { role: 'admin', disabled: false }, T0 + 3);
        expect((await sut.updateAccount('adm-1', { role: 'desk' }, T0 + 4)).outcome).toBe('updated');
        expect(await sut.countActiveAdmins()).toBe(1);
      });

      it('two admins demoting each other at once leave one admin', async () => {
        const sut = store.access;
        await sut.insertAccount(account('adm-1', 'one', { role: 'admin' }));
        await sut.insertAccount(account('adm-2', 'two', { role: 'admin' }));
        const outcomes = await Promise.all([sut.updateAccount('adm-1', { role: 'desk' }, T0 + 1), sut.updateAccount('adm-2', { disabled: true }, T0 + 1)]);
        expect(outcomes.map((o) => o.outcome).sort()).toEqual(['last-admin', 'updated']);
        expect(await sut.countActiveAdmins()).toBe(1);
      });
    });

    describe('sessions', () => {
      it('inserts, reads, lists newest first, deletes one or all of an account', async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'anita'));
        const older = session('s-old', 'acc-1', T0);
        const newer = { ...session('s-new', 'acc-1', T0 + 1000), userAgent: null, address: null };
        await sut.insertSession(older);
        await sut.insertSession(newer);
        expect(await sut.getSession('s-new')).toEqual(newer);
        expect(await sut.listSessions('acc-1')).toEqual([newer, older]);
        expect(await sut.listSessions('nobody')).toEqual([]);
        expect(await sut.deleteSession('s-old')).toBe(true);
        expect(await sut.deleteSession('s-old')).toBe(false);
        expect(await sut.deleteAccountSessions('acc-1')).toBe(1);
        expect(await sut.listSessions('acc-1')).toEqual([]);
      });

      it('refuses a session of an unknown account and a repeated secret hash', async () => {
        const sut = store.access;
        await expect(sut.insertSession(session('s1', 'nobody'))).rejects.toThrow();
        await sut.insertAccount(account('acc-1', 'anita'));
        await sut.insertSession(session('s1', 'acc-1'));
        expect(await rejection(sut.insertSession(session('s1', 'acc-1')))).toMatchObject({ key: 'session.secretHash' });
        expect(await sut.listSessions('acc-1')).toHaveLength(1);
      });

      it('moves last-seen forward only, and deletes the idle ones', async () => {
        const sut = store.access;
        await sut.insertAccount(account('acc-1', 'anita'));
        await sut.insertSession(session('s1', 'acc-1', T0));
        await sut.insertSession(session('s2', 'acc-1', T0));
        expect(await sut.touchSession('s1', T0 + 90_000)).toBe(true);
        expect(await sut.touchSession('s1', T0 + 30_000)).toBe(true);
        expect((await sut.getSession('s1'))!.lastSeenAt).toBe(T0 + 90_000);
        expect(await sut.touchSession('gone', T0)).toBe(false);
        expect(await sut.deleteSessionsIdleSince(T0 + 1)).toBe(1);
        expect(await sut.getSession('s2')).toBeNull();
        expect(await sut.getSession('s1')).not.toBeNull();
      });
    });

    describe('API keys', () => {
      it('inserts, finds by secret hash, lists, records use, revokes once', async () => {
        const sut = store.access;
        const kiosk = apiKey('k1', { role: 'doctor', doctorIds: ['doc-9'] });
        const hmis = apiKey('k2', { createdAt: T0 + 1 });
        await sut.insertApiKey(hmis);
        await sut.insertApiKey(kiosk);
        expect(await sut.getApiKeyBySecretHash('hash-k1')).toEqual(kiosk);
        expect(await sut.getApiKeyBySecretHash('nope')).toBeNull();
        expect((await sut.listApiKeys()).map((k) => k.id)).toEqual(['k1', 'k2']);
        await sut.touchApiKey('k1', T0 + 500);
        await sut.touchApiKey('k1', T0 + 100);
        expect((await sut.getApiKeyBySecretHash('hash-k1'))!.lastUsedAt).toBe(T0 + 500);
        expect(await sut.revokeApiKey('k1', T0 + 1000)).toBe(true);
        expect(await sut.revokeApiKey('k1', T0 + 2000)).toBe(false);
        expect(await sut.revokeApiKey('nobody', T0)).toBe(false);
        expect((await sut.getApiKeyBySecretHash('hash-k1'))!.revokedAt).toBe(T0 + 1000);
      });

      it('refuses a taken id or secret hash', async () => {
        const sut = store.access;
        await sut.insertApiKey(apiKey('k1'));
        expect(await rejection(sut.insertApiKey(apiKey('k1', { secretHash: 'other' })))).toMatchObject({ key: 'apiKey.id', value: 'k1' });
        expect(await rejection(sut.insertApiKey(apiKey('k2', { secretHash: 'hash-k1' })))).toMatchObject({ key: 'apiKey.secretHash' });
        expect(await sut.listApiKeys()).toHaveLength(1);
      });
    });

    describe('display links', () => {
      it('inserts (a list of doctors, or all), finds by secret hash, lists, revokes once', async () => {
        const sut = store.access;
        const lobby = displayLink('l1');
        const all = displayLink('l2', { doctorIds: 'all', createdAt: T0 + 1 });
        await sut.insertDisplayLink(lobby);
        await sut.insertDisplayLink(all);
        expect(await sut.getDisplayLinkBySecretHash('link-l1')).toEqual(lobby);
        expect(await sut.getDisplayLinkBySecretHash('link-l2')).toEqual(all);
        expect((await sut.listDisplayLinks()).map((l) => l.id)).toEqual(['l1', 'l2']);
        expect(await sut.revokeDisplayLink('l1', T0 + 9)).toBe(true);
        expect(await sut.revokeDisplayLink('l1', T0 + 10)).toBe(false);
        expect((await sut.getDisplayLinkBySecretHash('link-l1'))!.revokedAt).toBe(T0 + 9);
        expect(await rejection(sut.insertDisplayLink(displayLink('l3', { secretHash: 'link-l2' })))).toMatchObject({ key: 'displayLink.secretHash' });
      });
    });

    describe('first-run set-up', () => {
      const HOUR = 3_600_000;
      const admin = account('adm-1', 'Admin', { role: 'admin' });

      it('counts usable codes: not used, not expired', async () => {
        const sut = store.access;
        await sut.insertSetupCode({ codeHash: 'c1', expiresAt: T0 + HOUR, usedAt: null });
        await sut.insertSetupCode({ codeHash: 'c2', expiresAt: T0 + 2 * HOUR, usedAt: null });
        expect(await sut.countUsableSetupCodes(T0)).toBe(2);
        expect(await sut.countUsableSetupCodes(T0 + HOUR)).toBe(1);
        expect(await rejection(sut.insertSetupCode({ codeHash: 'c1', expiresAt: T0, usedAt: null }))).toMatchObject({ key: 'setupCode.codeHash' });
      });

      it('a code creates the first admin once; a used, expired or unknown code changes nothing', async () => {
        const sut = store.access;
        await sut.insertSetupCode({ codeHash: 'c1', expiresAt: T0 + HOUR, usedAt: null });
        expect(await sut.completeSetup('unknown', T0, admin)).toBe('invalid-code');
        expect(await sut.completeSetup('c1', T0 + HOUR, admin)).toBe('invalid-code');
        expect(await sut.listAccounts()).toEqual([]);
        expect(await sut.completeSetup('c1', T0 + HOUR - 1, admin)).toBe('created');
        expect(await sut.getAccount('adm-1')).toEqual(admin);
        expect(await sut.countUsableSetupCodes(T0)).toBe(0);
        expect(await sut.completeSetup('c1', T0, account('adm-2', 'other', { role: 'admin' }))).toBe('invalid-code');
        expect((await sut.listAccounts()).map((a) => a.id)).toEqual(['adm-1']);
      });

      it('refuses once an admin exists, and leaves the code usable when the name is taken', async () => {
        const sut = store.access;
        await sut.insertAccount(account('d1', 'admin'));
        await sut.insertSetupCode({ codeHash: 'c1', expiresAt: T0 + HOUR, usedAt: null });
        expect(await sut.completeSetup('c1', T0, admin)).toBe('username-taken');
        expect(await sut.countUsableSetupCodes(T0)).toBe(1);
        expect(await sut.getAccount('adm-1')).toBeNull();
        await sut.insertAccount(account('a0', 'root', { role: 'admin' }));
        expect(await sut.completeSetup('c1', T0, account('adm-2', 'second', { role: 'admin' }))).toBe('admin-exists');
        expect(await sut.getAccount('adm-2')).toBeNull();
      });

      it('two completions at once with one code make one admin', async () => {
        const sut = store.access;
        await sut.insertSetupCode({ codeHash: 'c1', expiresAt: T0 + HOUR, usedAt: null });
        const outcomes = await Promise.all(
          ['x', 'y', 'z'].map((n) => sut.completeSetup('c1', T0, account(`adm-${n}`, `admin-${n}`, { role: 'admin' }))),
        );
        expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'invalid-code')).toHaveLength(2);
        expect(await sut.countActiveAdmins()).toBe(1);
      });
    });
  });
}
