// Storage of staff accounts, sessions, API keys, display links and the first-run set-up code
// (SPEC 11). Two implementations, sqlite/access-repo.ts and postgres/access-repo.ts, held to one
// contract (test/suites/store/access-contract.ts). Secrets arrive here already hashed (src/access/passwords.ts): no
// method ever sees a password or a secret in the clear. Times are epoch ms.

import type { DoctorScope, Role } from '../access/roles.ts';

export interface AccountRecord {
  id: string;
  /** Unique regardless of letter case; kept as typed, looked up case-insensitively. */
  username: string;
  displayName: string;
  role: Role;
  doctorIds: DoctorScope;
  /** scrypt, with its parameters (passwords.ts). */
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  /** SHA-256 of the session secret (the cookie's value). */
  secretHash: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string | null;
  address: string | null;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  doctorIds: DoctorScope;
  secretHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface DisplayLinkRecord {
  id: string;
  name: string;
  doctorIds: DoctorScope;
  secretHash: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface SetupCodeRecord {
  codeHash: string;
  expiresAt: number;
  usedAt: number | null;
}

/** What an admin may change about an account in one go (the password has its own method). */
export type AccountChanges = Partial<Pick<AccountRecord, 'displayName' | 'role' | 'doctorIds' | 'disabled'>>;

/** What an account update came to; only `updated` changed anything. */
export type AccountUpdate = { outcome: 'updated'; account: AccountRecord } | { outcome: 'not-found' | 'last-admin' };

/** What consuming a set-up code came to; only `created` created the account. */
export type SetupOutcome = 'created' | 'invalid-code' | 'admin-exists' | 'username-taken';

export interface AccessRepository {
  /** DuplicateKeyError('account.username') when the name is taken in any letter case. */
  insertAccount(account: AccountRecord): Promise<void>;
  getAccount(id: string): Promise<AccountRecord | null>;
  /** Case-insensitive. */
  getAccountByUsername(username: string): Promise<AccountRecord | null>;
  /** In username order. */
  listAccounts(): Promise<AccountRecord[]>;
  /** Accounts with role admin that are not disabled. */
  countActiveAdmins(): Promise<number>;
  /** Replaces the hash; false when there is no such account. */
  setPasswordHash(accountId: string, passwordHash: string, at: number): Promise<boolean>;
  /**
   * Disables or enables; disabling deletes the account's sessions in the same transaction, so no
   * request is served for it afterwards. False when there is no such account.
   */
  setAccountDisabled(accountId: string, disabled: boolean, at: number): Promise<boolean>;
  /**
   * Applies `changes` (and `updatedAt: at`) in one transaction, one such update at a time across
   * servers: refused (`last-admin`, nothing changed) when the account is an enabled admin that would
   * stop being one (another role, or disabled) and no other enabled admin exists. Disabling deletes
   * the account's sessions in the same transaction.
   */
  updateAccount(accountId: string, changes: AccountChanges, at: number): Promise<AccountUpdate>;

  insertSession(session: SessionRecord): Promise<void>;
  getSession(secretHash: string): Promise<SessionRecord | null>;
  /** Moves last-seen forward (never back); false when the session is gone. */
  touchSession(secretHash: string, lastSeenAt: number): Promise<boolean>;
  deleteSession(secretHash: string): Promise<boolean>;
  /** How many were deleted. */
  deleteAccountSessions(accountId: string): Promise<number>;
  /** Newest first. */
  listSessions(accountId: string): Promise<SessionRecord[]>;
  /** Deletes sessions last seen before `lastSeenBefore`: expired ones, which resolve to nothing anyway. */
  deleteSessionsIdleSince(lastSeenBefore: number): Promise<number>;

  /** DuplicateKeyError('apiKey.id') on a taken id. */
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | null>;
  /** In creation order. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  touchApiKey(id: string, lastUsedAt: number): Promise<void>;
  /** False when there is no such key or it was revoked already (its first revocation time stays). */
  revokeApiKey(id: string, at: number): Promise<boolean>;

  insertDisplayLink(link: DisplayLinkRecord): Promise<void>;
  getDisplayLinkBySecretHash(secretHash: string): Promise<DisplayLinkRecord | null>;
  listDisplayLinks(): Promise<DisplayLinkRecord[]>;
  revokeDisplayLink(id: string, at: number): Promise<boolean>;

  insertSetupCode(code: SetupCodeRecord): Promise<void>;
  /** Codes not used and not expired at `at`. */
  countUsableSetupCodes(at: number): Promise<number>;
  /**
   * In one transaction: refuses when an active admin exists, or the code is unknown, used or expired
   * at `at`; else marks it used and inserts `admin`. Two callers with one code: one gets `created`.
   */
  completeSetup(codeHash: string, at: number, admin: AccountRecord): Promise<SetupOutcome>;
}
