import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { AccessError } from './access-errors.ts';
import { AccessService, type NewAccount } from './access-service.ts';
import { decodePasswordHash, hashSecret, scryptHasher, type PasswordHasher, type ScryptParams } from './passwords.ts';
import type { Clock } from './types.ts';

const T0 = Date.parse('2026-03-10T08:00:00+05:30');
const MINUTE = 60_000;
const IDLE = 480 * MINUTE;
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

class ManualClock implements Clock {
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The real scrypt hasher, counting what it is asked, so a test sees which path a sign-in took. */
function watched(params: ScryptParams): PasswordHasher & { verified: string[] } {
  const inner = scryptHasher(params);
  const verified: string[] = [];
  return {
    verified,
    hash: (p) => inner.hash(p),
    verify: (p, encoded) => {
      verified.push(encoded);
      return inner.verify(p, encoded);
    },
    needsRehash: (e) => inner.needsRehash(e),
  };
}

const anita: NewAccount = { username: 'anita', displayName: 'Anita (front desk)', role: 'desk', doctorIds: 'all', password: 'front-desk-2026' };
const mehta: NewAccount = { username: 'dr.mehta', displayName: 'Dr. Mehta', role: 'doctor', doctorIds: ['doc-mehta'], password: 'stethoscope-42' };
const root: NewAccount = { username: 'root', displayName: 'Root', role: 'admin', doctorIds: 'all', password: 'admin-password-1' };

async function refusal(promise: Promise<unknown>): Promise<AccessError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AccessError)) throw new Error(`expected an AccessError, got ${String(error)}`);
  return error;
}

describe('AccessService', () => {
  let store: Store;
  let clock: ManualClock;
  let hasher: ReturnType<typeof watched>;
  let sut: AccessService;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    clock = new ManualClock(T0);
    hasher = watched(FAST);
    sut = new AccessService(store.access, { clock, passwords: hasher });
  });
  afterEach(async () => {
    await store.close();
  });

  describe('accounts and sign-in', () => {
    it('signs in with the right password in any letter case of the name, and resolves to the account', async () => {
      const account = await sut.createAccount(mehta);
      expect(account).not.toHaveProperty('passwordHash');
      const { secret, actor } = await sut.signIn('DR.Mehta', 'stethoscope-42', { userAgent: 'Firefox', address: '10.1.2.3' });
      const expected = { kind: 'account', id: account.id, name: 'Dr. Mehta', role: 'doctor', doctorIds: ['doc-mehta'] };
      expect(actor).toEqual(expected);
      expect(await sut.resolveSession(secret)).toEqual(expected);
      const [session] = await sut.listSessions(account.id);
      expect(session).toMatchObject({ id: hashSecret(secret), createdAt: T0, lastSeenAt: T0, userAgent: 'Firefox', address: '10.1.2.3' });
      expect(JSON.stringify(await store.access.listSessions(account.id))).not.toContain(secret);
    });

    it('refuses bad input with a clear message and stores nothing', async () => {
      expect(await refusal(sut.createAccount({ ...anita, password: 'short' }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/at least 10/) });
      expect(await refusal(sut.createAccount({ ...mehta, doctorIds: 'all' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await refusal(sut.createAccount({ ...anita, username: 'a b' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await refusal(sut.createAccount({ ...anita, displayName: 'Anita\u0000' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await sut.listAccounts()).toEqual([]);
      await sut.createAccount(anita);
      expect(await refusal(sut.createAccount({ ...anita, username: 'ANITA' }))).toMatchObject({ code: 'USERNAME_TAKEN' });
      expect(await sut.listAccounts()).toHaveLength(1);
    });

    it('fails the same way, with one full password check, whether the name is unknown, the password wrong or the account disabled', async () => {
      const a = await sut.createAccount(anita);
      await sut.createAccount(root);
      const stored = (await store.access.getAccount(a.id))!.passwordHash;
      hasher.verified.length = 0;

      const unknown = await refusal(sut.signIn('nobody', 'front-desk-2026'));
      const wrong = await refusal(sut.signIn('anita', 'front-desk-2025'));
      await sut.disableAccount(a.id);
      const disabled = await refusal(sut.signIn('anita', 'front-desk-2026'));

      for (const e of [unknown, wrong, disabled]) expect(e).toMatchObject({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
      // Each attempt cost exactly one scrypt; the unknown name's against a real hash with the same parameters.
      expect(hasher.verified).toHaveLength(3);
      expect(hasher.verified[0]).not.toBe(stored);
      expect(decodePasswordHash(hasher.verified[0]!).params).toEqual(decodePasswordHash(stored).params);
      expect(hasher.verified[1]).toBe(stored);
      expect(hasher.verified[2]).toBe(stored);
    });

    it("disabling ends the account's sessions; enabling does not bring them back", async () => {
      const a = await sut.createAccount(anita);
      await sut.createAccount(root);
      const first = await sut.signIn('anita', 'front-desk-2026');
      const second = await sut.signIn('anita', 'front-desk-2026');
      await sut.disableAccount(a.id);
      expect(await sut.resolveSession(first.secret)).toBeNull();
      expect(await sut.resolveSession(second.secret)).toBeNull();
      expect(await store.access.listSessions(a.id)).toEqual([]);
      await sut.enableAccount(a.id);
      expect(await sut.resolveSession(first.secret)).toBeNull();
      expect((await sut.signIn('anita', 'front-desk-2026')).actor.id).toBe(a.id);
    });

    it('never disables the last enabled admin', async () => {
      const r = await sut.createAccount(root);
      expect(await refusal(sut.disableAccount(r.id))).toMatchObject({ code: 'LAST_ADMIN' });
      expect((await store.access.getAccount(r.id))!.disabled).toBe(false);
      const second = await sut.createAccount({ ...root, username: 'second' });
      await sut.disableAccount(r.id);
      expect(await refusal(sut.disableAccount(second.id))).toMatchObject({ code: 'LAST_ADMIN' });
      expect(await refusal(sut.disableAccount('nobody'))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it("an admin's update: name, role with its doctors, disabled; the binding is checked as a whole", async () => {
      const m = await sut.createAccount(mehta);
      await sut.createAccount(root);
      const { secret } = await sut.signIn('dr.mehta', 'stethoscope-42');
      clock.advance(MINUTE);
      const renamed = await sut.updateAccount(m.id, { displayName: '  Dr. R. Mehta ', doctorIds: ['doc-mehta', 'doc-rao'] });
      expect(renamed).toEqual({ ...m, displayName: 'Dr. R. Mehta', doctorIds: ['doc-mehta', 'doc-rao'], updatedAt: T0 + MINUTE });
      expect(renamed).not.toHaveProperty('passwordHash');
      // The session now resolves to the new binding: no sign-in again needed.
      expect(await sut.resolveSession(secret)).toMatchObject({ name: 'Dr. R. Mehta', doctorIds: ['doc-mehta', 'doc-rao'] });
      // To desk without a list: all doctors.
      expect(await sut.updateAccount(m.id, { role: 'desk' })).toMatchObject({ role: 'desk', doctorIds: 'all' });
      expect(await refusal(sut.updateAccount(m.id, { role: 'doctor' }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/one or more doctors/) });
      expect(await refusal(sut.updateAccount(m.id, { doctorIds: ['doc-1'] }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/all doctors/) });
      expect(await refusal(sut.updateAccount(m.id, { displayName: ' ' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await refusal(sut.updateAccount('nobody', { disabled: true }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await sut.updateAccount(m.id, { role: 'doctor', doctorIds: ['doc-rao'] })).toMatchObject({ role: 'doctor', doctorIds: ['doc-rao'] });
      expect((await store.access.getAccount(m.id))!).toMatchObject({ role: 'doctor', doctorIds: ['doc-rao'], displayName: 'Dr. R. Mehta' });
      await sut.updateAccount(m.id, { disabled: true });
      expect(await sut.resolveSession(secret)).toBeNull();
    });

    it('never demotes nor disables the last enabled admin, and a refused update changes nothing', async () => {
      const r = await sut.createAccount(root);
      const { secret } = await sut.signIn('root', 'admin-password-1');
      for (const change of [{ role: 'desk' as const }, { disabled: true }, { role: 'display' as const, doctorIds: 'all' as const }]) {
        expect(await refusal(sut.updateAccount(r.id, change)), JSON.stringify(change)).toMatchObject({ code: 'LAST_ADMIN' });
      }
      expect(await store.access.getAccount(r.id)).toMatchObject({ role: 'admin', disabled: false, updatedAt: T0 });
      expect(await sut.resolveSession(secret)).not.toBeNull();
      const other = await sut.createAccount({ ...root, username: 'second' });
      expect(await sut.updateAccount(r.id, { role: 'desk' })).toMatchObject({ role: 'desk', doctorIds: 'all' });
      expect(await refusal(sut.updateAccount(other.id, { disabled: true }))).toMatchObject({ code: 'LAST_ADMIN' });
    });

    it("an admin's password reset needs no current password and ends every session of the account", async () => {
      const a = await sut.createAccount(anita);
      const one = await sut.signIn('anita', 'front-desk-2026');
      const two = await sut.signIn('anita', 'front-desk-2026');
      await sut.changePassword(a.id, 'reset-by-admin-1');
      expect(await sut.resolveSession(one.secret)).toBeNull();
      expect(await sut.resolveSession(two.secret)).toBeNull();
      expect((await sut.signIn('anita', 'reset-by-admin-1')).actor.id).toBe(a.id);
      expect(await refusal(sut.changePassword('nobody', 'reset-by-admin-1'))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('finds an account by username in any letter case, without its hash', async () => {
      const a = await sut.createAccount(anita);
      expect(await sut.findAccount('ANITA')).toEqual(a);
      expect(await sut.findAccount('nobody')).toBeNull();
    });

    it('changes a password: the current one must match, other sessions end, the changing one stays', async () => {
      const a = await sut.createAccount(anita);
      const here = await sut.signIn('anita', 'front-desk-2026');
      const elsewhere = await sut.signIn('anita', 'front-desk-2026');
      expect(await refusal(sut.changePassword(a.id, 'new-password-99', { currentPassword: 'guess-guess-guess' }))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await refusal(sut.changePassword(a.id, 'tiny', { currentPassword: 'front-desk-2026' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await sut.resolveSession(elsewhere.secret)).not.toBeNull();
      await sut.changePassword(a.id, 'new-password-99', { currentPassword: 'front-desk-2026', keepSession: here.secret });
      expect(await sut.resolveSession(here.secret)).not.toBeNull();
      expect(await sut.resolveSession(elsewhere.secret)).toBeNull();
      expect(await refusal(sut.signIn('anita', 'front-desk-2026'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await sut.signIn('anita', 'new-password-99')).actor.id).toBe(a.id);
    });

    it('stores a stronger hash at sign-in when the parameters were raised', async () => {
      const a = await sut.createAccount(anita);
      const stronger = new AccessService(store.access, { clock, passwords: scryptHasher({ N: 2 ** 11, r: 8, p: 1 }) });
      await stronger.signIn('anita', 'front-desk-2026');
      const upgraded = (await store.access.getAccount(a.id))!.passwordHash;
      expect(decodePasswordHash(upgraded).params.N).toBe(2 ** 11);
      expect((await stronger.signIn('anita', 'front-desk-2026')).actor.id).toBe(a.id);
    });
  });

  describe('session lifetime', () => {
    it('ends a session exactly idleMinutes after it was last seen, not a millisecond before', async () => {
      await sut.createAccount(anita);
      const early = await sut.signIn('anita', 'front-desk-2026');
      const late = await sut.signIn('anita', 'front-desk-2026');
      clock.ms = T0 + IDLE - 1;
      expect(await sut.resolveSession(early.secret)).not.toBeNull();
      clock.ms = T0 + IDLE;
      expect(await sut.resolveSession(late.secret)).toBeNull();
      expect(await store.access.getSession(hashSecret(late.secret))).toBeNull();
    });

    it('slides: a use moves last-seen forward, written at most once a minute', async () => {
      const a = await sut.createAccount(anita);
      const { secret } = await sut.signIn('anita', 'front-desk-2026');
      const lastSeen = async () => (await store.access.getSession(hashSecret(secret)))!.lastSeenAt;
      clock.ms = T0 + MINUTE - 1;
      expect(await sut.resolveSession(secret)).not.toBeNull();
      expect(await lastSeen()).toBe(T0);
      clock.ms = T0 + MINUTE;
      expect(await sut.resolveSession(secret)).not.toBeNull();
      expect(await lastSeen()).toBe(T0 + MINUTE);
      clock.ms = T0 + MINUTE + IDLE - 1;
      expect(await sut.resolveSession(secret)).not.toBeNull();
      expect((await sut.listSessions(a.id)).map((s) => s.lastSeenAt)).toEqual([T0 + MINUTE + IDLE - 1]);
      clock.advance(IDLE);
      expect(await sut.resolveSession(secret)).toBeNull();
    });

    it('signs out, lists only live sessions, and clears the ended ones', async () => {
      const a = await sut.createAccount(anita);
      const old = await sut.signIn('anita', 'front-desk-2026');
      clock.advance(10 * MINUTE);
      const fresh = await sut.signIn('anita', 'front-desk-2026');
      const gone = await sut.signIn('anita', 'front-desk-2026');
      expect(await sut.signOut(gone.secret)).toBe(true);
      expect(await sut.signOut(gone.secret)).toBe(false);
      expect(await sut.resolveSession(gone.secret)).toBeNull();
      clock.ms = T0 + IDLE;
      expect((await sut.listSessions(a.id)).map((s) => s.id)).toEqual([hashSecret(fresh.secret)]);
      expect(await sut.deleteEndedSessions()).toBe(1);
      expect(await store.access.getSession(hashSecret(old.secret))).toBeNull();
      expect(await store.access.getSession(hashSecret(fresh.secret))).not.toBeNull();
    });

    it('resolves junk to nothing', async () => {
      for (const junk of ['', 'x', 'a'.repeat(10_000), '\u0000'.repeat(43), 'é'.repeat(43)]) {
        expect(await sut.resolveSession(junk)).toBeNull();
        expect(await sut.resolveApiKey(junk)).toBeNull();
        expect(await sut.resolveDisplayLink(junk)).toBeNull();
      }
      expect(await sut.resolveSession('A'.repeat(43))).toBeNull();
    });
  });

  describe('API keys and display links', () => {
    it('an API key works until revoked; its secret is shown once and kept only hashed', async () => {
      const { key, secret } = await sut.createApiKey({ name: 'HMIS bridge', role: 'desk', doctorIds: 'all' });
      expect(key).not.toHaveProperty('secretHash');
      expect(JSON.stringify(await sut.listApiKeys())).not.toContain(secret);
      expect((await store.access.getApiKeyBySecretHash(hashSecret(secret)))!.id).toBe(key.id);
      expect(await sut.resolveApiKey(secret)).toEqual({ kind: 'apiKey', id: key.id, name: 'HMIS bridge', role: 'desk', doctorIds: 'all' });
      await sut.revokeApiKey(key.id);
      expect(await sut.resolveApiKey(secret)).toBeNull();
      await sut.revokeApiKey(key.id);
      expect(await refusal(sut.revokeApiKey('nobody'))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(sut.createApiKey({ name: 'kiosk', role: 'doctor', doctorIds: [] }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it("records a key's last use at most once a minute", async () => {
      const { key, secret } = await sut.createApiKey({ name: 'console', role: 'doctor', doctorIds: ['doc-mehta'] });
      const lastUsed = async () => (await sut.listApiKeys()).find((k) => k.id === key.id)!.lastUsedAt;
      expect(await lastUsed()).toBeNull();
      await sut.resolveApiKey(secret);
      expect(await lastUsed()).toBe(T0);
      clock.advance(MINUTE - 1);
      await sut.resolveApiKey(secret);
      expect(await lastUsed()).toBe(T0);
      clock.advance(1);
      await sut.resolveApiKey(secret);
      expect(await lastUsed()).toBe(T0 + MINUTE);
    });

    it('a display link resolves to a display bound to its doctors until revoked', async () => {
      const { link, secret } = await sut.createDisplayLink({ name: 'Lobby, ground floor', doctorIds: ['doc-mehta', 'doc-rao'] });
      expect(link).not.toHaveProperty('secretHash');
      expect(await sut.resolveDisplayLink(secret)).toEqual({ kind: 'display', id: link.id, name: 'Lobby, ground floor', role: 'display', doctorIds: ['doc-mehta', 'doc-rao'] });
      // A link is not a session nor a key.
      expect(await sut.resolveSession(secret)).toBeNull();
      expect(await sut.resolveApiKey(secret)).toBeNull();
      await sut.revokeDisplayLink(link.id);
      expect(await sut.resolveDisplayLink(secret)).toBeNull();
      expect(await refusal(sut.revokeDisplayLink('nobody'))).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('the first admin', () => {
    it('a set-up code creates the first admin once, and none is offered after', async () => {
      const setup = await sut.firstRunSetup();
      expect(setup).not.toBeNull();
      expect(setup!.expiresAt).toBe(T0 + 24 * 60 * MINUTE);
      const admin = await sut.completeSetup(setup!.code, 'asha', 'first-admin-pass', 'Asha (IT)');
      expect(admin).toMatchObject({ username: 'asha', displayName: 'Asha (IT)', role: 'admin', disabled: false });
      expect((await sut.signIn('asha', 'first-admin-pass')).actor.role).toBe('admin');
      expect(await refusal(sut.completeSetup(setup!.code, 'mallory', 'second-admin-pass'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await sut.firstRunSetup()).toBeNull();
      expect((await sut.listAccounts()).map((a) => a.username)).toEqual(['asha']);
    });

    it('refuses an expired, wrong or malformed code, and any code once an admin exists', async () => {
      const setup = (await sut.firstRunSetup())!;
      expect(await refusal(sut.completeSetup('A'.repeat(43), 'asha', 'first-admin-pass'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await refusal(sut.completeSetup('short', 'asha', 'first-admin-pass'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await refusal(sut.completeSetup(setup.code, 'asha', 'short'))).toMatchObject({ code: 'VALIDATION_FAILED' });
      clock.ms = setup.expiresAt;
      expect(await refusal(sut.completeSetup(setup.code, 'asha', 'first-admin-pass'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      const next = (await sut.firstRunSetup())!;
      await sut.createAccount(root);
      expect(await refusal(sut.completeSetup(next.code, 'asha', 'first-admin-pass'))).toMatchObject({ code: 'SETUP_CLOSED' });
      expect((await sut.listAccounts()).map((a) => a.username)).toEqual(['root']);
    });

    it('OPD_ADMIN_PASSWORD creates `admin` once and never changes an existing one', async () => {
      expect(await sut.ensureAdminFromPassword('from-the-environment')).toBe('created');
      expect((await sut.signIn('admin', 'from-the-environment')).actor).toMatchObject({ role: 'admin', doctorIds: 'all' });
      expect(await sut.ensureAdminFromPassword('another-value-now')).toBe('exists');
      expect(await refusal(sut.signIn('admin', 'another-value-now'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await refusal(sut.ensureAdminFromPassword('short'))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^OPD_ADMIN_PASSWORD: .*at least 10/) });
    });
  });
});
