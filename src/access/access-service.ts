// Accounts, sessions, API keys, display links and the first admin (SPEC 11). Turns credentials into
// an Actor; who may do what with it is roles.ts's business, and which operations only an admin may
// call is the API's. Time comes from the injected clock, so expiry is tested with a manual one.
// People (accounts, passwords, sessions, the first admin) are this file's; the secrets of machines
// and boards (API keys, display links) are machine-credentials.ts's, offered here as well so that the
// API and the command line hold one access object.

import { v7 as timeOrderedId } from 'uuid';
import type { AccessRepository, AccountChanges, AccountRecord, SessionRecord } from '../store/access-repo.ts';
import { DuplicateKeyError } from '../store/errors.ts';
import { AccessError, checkName, checkUsername } from './access-errors.ts';
import { MachineCredentials, type ApiKeyView, type DisplayLinkView } from './machine-credentials.ts';
import { hashSecret, isSecretShaped, newSecret, passwordProblem, PasswordRuleError, scryptHasher, type PasswordHasher } from './passwords.ts';
import { bindingProblem, type DoctorScope, type Role } from './roles.ts';
import { TOUCH_EVERY_MS, type Actor, type Clock } from './types.ts';

export type { ApiKeyView, DisplayLinkView } from './machine-credentials.ts';

export interface AccessServiceOptions {
  clock: Clock;
  /** A session ends after this long without a request (OPD_SESSION_IDLE_MINUTES). Default 480. */
  idleMinutes?: number;
  /** How long a first-run set-up code works. Default 24 h. */
  setupCodeHours?: number;
  /** Default: scrypt with DEFAULT_SCRYPT. Tests pass cheaper parameters, or wrap it to watch it. */
  passwords?: PasswordHasher;
  newId?: () => string;
}

/** An account as it may be shown: never its password hash. */
export type AccountView = Omit<AccountRecord, 'passwordHash'>;
/** `id` is the SHA-256 of the session secret: it names the session but cannot be used as one. */
export type SessionView = Omit<SessionRecord, 'secretHash'> & { id: string };

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  doctorIds: DoctorScope;
  password: string;
}

/** What an admin may change about an account (PATCH /api/accounts/:id); every field optional. */
export interface AccountUpdateInput {
  displayName?: string;
  role?: Role;
  doctorIds?: DoctorScope;
  disabled?: boolean;
}

export interface ClientInfo {
  userAgent?: string | null;
  address?: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const accountView = ({ passwordHash: _hash, ...view }: AccountRecord): AccountView => view;

export class AccessService {
  readonly idleMs: number;
  private readonly clock: Clock;
  private readonly setupCodeMs: number;
  private readonly passwords: PasswordHasher;
  private readonly newId: () => string;
  /**
   * A real hash of nobody's password, made at once (so the first failed sign-in is not the slow one):
   * a sign-in for an unknown name is checked against it, at full cost.
   */
  private readonly dummyHash: Promise<string>;
  private readonly machines: MachineCredentials;

  constructor(
    private readonly repo: AccessRepository,
    options: AccessServiceOptions,
  ) {
    const idleMinutes = options.idleMinutes ?? 480;
    if (!Number.isInteger(idleMinutes) || idleMinutes < 1) throw new Error(`idleMinutes must be a positive whole number, got ${idleMinutes}`);
    this.idleMs = idleMinutes * MINUTE;
    this.setupCodeMs = (options.setupCodeHours ?? 24) * HOUR;
    this.clock = options.clock;
    this.passwords = options.passwords ?? scryptHasher();
    this.newId = options.newId ?? (() => timeOrderedId());
    this.dummyHash = this.passwords.hash(newSecret());
    this.machines = new MachineCredentials(repo, () => this.now(), this.newId);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private async hash(password: string): Promise<string> {
    try {
      return await this.passwords.hash(password);
    } catch (error) {
      if (error instanceof PasswordRuleError) throw new AccessError('VALIDATION_FAILED', error.message);
      throw error;
    }
  }

  // ---------------------------------------------------------------- accounts

  private async newAccountRecord(input: NewAccount): Promise<AccountRecord> {
    checkUsername(input.username);
    checkName('a display name', input.displayName);
    const problem = bindingProblem(input.role, input.doctorIds);
    if (problem) throw new AccessError('VALIDATION_FAILED', problem);
    const passwordHash = await this.hash(input.password);
    const at = this.now();
    return {
      id: this.newId(),
      username: input.username,
      displayName: input.displayName.trim(),
      role: input.role,
      doctorIds: input.doctorIds === 'all' ? 'all' : [...input.doctorIds],
      passwordHash,
      disabled: false,
      createdAt: at,
      updatedAt: at,
    };
  }

  async createAccount(input: NewAccount): Promise<AccountView> {
    const record = await this.newAccountRecord(input);
    try {
      await this.repo.insertAccount(record);
    } catch (error) {
      if (error instanceof DuplicateKeyError && error.key === 'account.username') {
        throw new AccessError('USERNAME_TAKEN', `the username ${input.username} is taken`);
      }
      throw error;
    }
    return accountView(record);
  }

  async listAccounts(): Promise<AccountView[]> {
    return (await this.repo.listAccounts()).map(accountView);
  }

  private async account(id: string): Promise<AccountRecord> {
    const account = await this.repo.getAccount(id);
    if (!account) throw new AccessError('NOT_FOUND', `no account ${id}`);
    return account;
  }

  /**
   * Sets a new password. With `currentPassword` (a person changing their own) it must match. Every
   * session of the account ends except `keepSession` (the secret of the one making the change).
   */
  async changePassword(accountId: string, newPassword: string, options: { currentPassword?: string; keepSession?: string } = {}): Promise<void> {
    const account = await this.account(accountId);
    if (options.currentPassword !== undefined && !(await this.passwords.verify(options.currentPassword, account.passwordHash))) {
      throw new AccessError('UNAUTHENTICATED', 'the current password is wrong');
    }
    const passwordHash = await this.hash(newPassword);
    await this.repo.setPasswordHash(accountId, passwordHash, this.now());
    const keep = options.keepSession === undefined ? null : hashSecret(options.keepSession);
    for (const s of await this.repo.listSessions(accountId)) {
      if (s.secretHash !== keep) await this.repo.deleteSession(s.secretHash);
    }
  }

  /**
   * An admin's change to an account: its display name, role (with its doctors) or disabled flag.
   * A role changed to admin or desk without a doctor list takes all doctors. Disabling ends the
   * account's sessions at once; nothing may leave the hospital without an enabled admin (LAST_ADMIN).
   */
  async updateAccount(accountId: string, changes: AccountUpdateInput): Promise<AccountView> {
    const current = await this.account(accountId);
    if (changes.displayName !== undefined) checkName('a display name', changes.displayName);
    const fields: AccountChanges = {};
    if (changes.displayName !== undefined) fields.displayName = changes.displayName.trim();
    if (changes.disabled !== undefined) fields.disabled = changes.disabled;
    if (changes.role !== undefined || changes.doctorIds !== undefined) {
      const role = changes.role ?? current.role;
      const roleChanged = role !== current.role;
      const doctorIds = changes.doctorIds ?? (roleChanged && (role === 'admin' || role === 'desk') ? 'all' : current.doctorIds);
      const problem = bindingProblem(role, doctorIds);
      if (problem) throw new AccessError('VALIDATION_FAILED', problem);
      // Always the pair: what is stored is a binding that was checked as a whole.
      fields.role = role;
      fields.doctorIds = doctorIds === 'all' ? 'all' : [...doctorIds];
    }
    const result = await this.repo.updateAccount(accountId, fields, this.now());
    switch (result.outcome) {
      case 'updated':
        return accountView(result.account);
      case 'not-found':
        throw new AccessError('NOT_FOUND', `no account ${accountId}`);
      case 'last-admin':
        throw new AccessError('LAST_ADMIN', 'this is the only enabled admin: create or enable another admin first');
    }
  }

  /** Disables the account and ends its sessions at once. The last enabled admin cannot be disabled. */
  async disableAccount(accountId: string): Promise<void> {
    await this.updateAccount(accountId, { disabled: true });
  }

  async enableAccount(accountId: string): Promise<void> {
    await this.updateAccount(accountId, { disabled: false });
  }

  /** The account of this username (any letter case), for the command line; never its hash. */
  /** An account by id, as it may be shown; null when there is none. */
  async getAccount(id: string): Promise<AccountView | null> {
    const account = await this.repo.getAccount(id);
    return account ? accountView(account) : null;
  }

  async findAccount(username: string): Promise<AccountView | null> {
    const account = await this.repo.getAccountByUsername(username);
    return account ? accountView(account) : null;
  }

  // ---------------------------------------------------------------- sessions

  /**
   * A new session for the right username and password; its secret is returned once (the cookie).
   * Every failure costs one scrypt and says the same thing, whether the name is unknown, the account
   * disabled or the password wrong, so neither the answer nor its timing tells which names exist.
   */
  async signIn(username: string, password: string, client: ClientInfo = {}): Promise<{ secret: string; actor: Actor }> {
    const account = await this.repo.getAccountByUsername(username);
    const matches = await this.passwords.verify(password, account?.passwordHash ?? (await this.dummyHash));
    if (!account || !matches || account.disabled) throw new AccessError('UNAUTHENTICATED', 'wrong username or password');
    const at = this.now();
    if (this.passwords.needsRehash(account.passwordHash)) {
      await this.repo.setPasswordHash(account.id, await this.passwords.hash(password), at);
    }
    const secret = newSecret();
    await this.repo.insertSession({
      secretHash: hashSecret(secret),
      accountId: account.id,
      createdAt: at,
      lastSeenAt: at,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      address: client.address ?? null,
    });
    return { secret, actor: accountActor(account) };
  }

  /**
   * The account behind a session secret, or null. A session is alive while less than `idleMinutes`
   * passed since it was last seen: at exactly `idleMinutes` it has ended (and is deleted). Each use
   * moves last-seen to now, written at most once a minute; so a session ends between
   * `idleMinutes − 1` and `idleMinutes` after its last request.
   */
  async resolveSession(secret: string): Promise<Actor | null> {
    if (!isSecretShaped(secret)) return null;
    const secretHash = hashSecret(secret);
    const session = await this.repo.getSession(secretHash);
    if (!session) return null;
    const now = this.now();
    if (now - session.lastSeenAt >= this.idleMs) {
      await this.repo.deleteSession(secretHash);
      return null;
    }
    const account = await this.repo.getAccount(session.accountId);
    if (!account || account.disabled) return null;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await this.repo.touchSession(secretHash, now);
    return accountActor(account);
  }

  /** Ends the session; true when there was one. */
  async signOut(secret: string): Promise<boolean> {
    if (!isSecretShaped(secret)) return false;
    return this.repo.deleteSession(hashSecret(secret));
  }

  /** The account's sessions that are still alive, newest first. */
  async listSessions(accountId: string): Promise<SessionView[]> {
    const now = this.now();
    return (await this.repo.listSessions(accountId))
      .filter((s) => now - s.lastSeenAt < this.idleMs)
      .map(({ secretHash, ...rest }) => ({ id: secretHash, ...rest }));
  }

  /** Deletes the sessions that have ended: they never resolve, this only keeps the table small. */
  deleteEndedSessions(): Promise<number> {
    return this.repo.deleteSessionsIdleSince(this.now() - this.idleMs + 1);
  }

  // ---------------------------------------------------------------- API keys and display links
  // Their rules are MachineCredentials's (machine-credentials.ts); these pass the calls on.

  createApiKey(input: { name: string; role: Role; doctorIds: DoctorScope }): Promise<{ key: ApiKeyView; secret: string }> {
    return this.machines.createApiKey(input);
  }

  listApiKeys(): Promise<ApiKeyView[]> {
    return this.machines.listApiKeys();
  }

  resolveApiKey(secret: string): Promise<Actor | null> {
    return this.machines.resolveApiKey(secret);
  }

  revokeApiKey(id: string): Promise<void> {
    return this.machines.revokeApiKey(id);
  }

  createDisplayLink(input: { name: string; doctorIds: DoctorScope }): Promise<{ link: DisplayLinkView; secret: string }> {
    return this.machines.createDisplayLink(input);
  }

  listDisplayLinks(): Promise<DisplayLinkView[]> {
    return this.machines.listDisplayLinks();
  }

  resolveDisplayLink(secret: string): Promise<Actor | null> {
    return this.machines.resolveDisplayLink(secret);
  }

  revokeDisplayLink(id: string): Promise<void> {
    return this.machines.revokeDisplayLink(id);
  }

  // ---------------------------------------------------------------- the first admin

  /**
   * At start: when no enabled admin exists, a new one-time set-up code (returned once, to be printed
   * as a link; stored hashed) valid for `setupCodeHours`. Null when an admin exists. Each start
   * without an admin prints a new code; earlier ones keep working until they expire or one is used.
   */
  async firstRunSetup(): Promise<{ code: string; expiresAt: number } | null> {
    if ((await this.repo.countActiveAdmins()) > 0) return null;
    const code = newSecret();
    const expiresAt = this.now() + this.setupCodeMs;
    await this.repo.insertSetupCode({ codeHash: hashSecret(code), expiresAt, usedAt: null });
    return { code, expiresAt };
  }

  /** Whether the first-run set-up is still open: no enabled admin exists. */
  async setupOpen(): Promise<boolean> {
    return (await this.repo.countActiveAdmins()) === 0;
  }

  /** Consumes a set-up code to create the first admin. Refused once used, expired, or an admin exists. */
  async completeSetup(code: string, username: string, password: string, displayName = username): Promise<AccountView> {
    const record = await this.newAccountRecord({ username, displayName, role: 'admin', doctorIds: 'all', password });
    const outcome = isSecretShaped(code) ? await this.repo.completeSetup(hashSecret(code), this.now(), record) : 'invalid-code';
    switch (outcome) {
      case 'created':
        return accountView(record);
      case 'invalid-code':
        throw new AccessError('UNAUTHENTICATED', 'the set-up code is wrong, used or expired');
      case 'admin-exists':
        throw new AccessError('SETUP_CLOSED', 'an admin exists already: ask them for an account');
      case 'username-taken':
        throw new AccessError('USERNAME_TAKEN', `the username ${username} is taken`);
    }
  }

  /**
   * OPD_ADMIN_PASSWORD: creates the account `admin` with this password when there is no account of
   * that name. When one exists, nothing changes — not its password, role or disabled flag — so a
   * password changed since, or an admin disabled on purpose, is never undone by a restart.
   */
  async ensureAdminFromPassword(password: string): Promise<'created' | 'exists'> {
    // Checked even when `admin` exists, so a weak setting is reported at the first start, not later.
    const problem = passwordProblem(password);
    if (problem) throw new AccessError('VALIDATION_FAILED', `OPD_ADMIN_PASSWORD: ${problem}`);
    if (await this.repo.getAccountByUsername('admin')) return 'exists';
    try {
      await this.createAccount({ username: 'admin', displayName: 'Administrator', role: 'admin', doctorIds: 'all', password });
      return 'created';
    } catch (error) {
      // Another server starting at the same moment created it first.
      if (error instanceof AccessError && error.code === 'USERNAME_TAKEN') return 'exists';
      throw error;
    }
  }
}

function accountActor(account: AccountRecord): Actor {
  return { kind: 'account', id: account.id, name: account.displayName, role: account.role, doctorIds: account.doctorIds };
}
