// The access tables on the embedded store. Reads go to the store's read connection (committed data
// only). Writes run through the store's write queue (`write`, which is SqliteStore.transaction): the
// queue owns the write connection's transaction, so a statement issued beside it would land inside
// whatever group of works is open and commit or roll back with them. In the queue, each write is a
// work of its own, under its own SAVEPOINT, answered only after its COMMIT. Every write here is one
// synchronous function, so nothing else can run between its statements.

import Database from 'better-sqlite3';
import type { AccessRepository, AccountChanges, AccountRecord, AccountUpdate, ApiKeyRecord, DisplayLinkRecord, SessionRecord, SetupCodeRecord, SetupOutcome } from '../access-repo.ts';
import {
  scopeColumn,
  toAccount,
  toApiKey,
  toDisplayLink,
  toSession,
  usernameKey,
  type AccountColumns,
  type ApiKeyColumns,
  type DisplayLinkColumns,
  type SessionColumns,
} from '../access-rows.ts';
import { DuplicateKeyError, type UniqueKey } from '../errors.ts';

/** Runs `work` as one write of the store's queue, and resolves after it committed. */
export type QueuedWrite = <T>(work: () => T) => Promise<T>;

const UNIQUE: Record<string, UniqueKey> = {
  'accounts.id': 'account.id',
  'accounts.username_key': 'account.username',
  'sessions.secret_hash': 'session.secretHash',
  'api_keys.id': 'apiKey.id',
  'api_keys.secret_hash': 'apiKey.secretHash',
  'display_links.id': 'displayLink.id',
  'display_links.secret_hash': 'displayLink.secretHash',
  'setup_codes.code_hash': 'setupCode.codeHash',
};

export class SqliteAccessRepository implements AccessRepository {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly write: QueuedWrite,
  ) {}

  /** Prepared on first use: the tables exist only after migrate. */
  private sql(db: Database.Database, text: string): Database.Statement {
    const key = `${db === this.writer ? 'w' : 'r'}:${text}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      stmt = db.prepare(text);
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  private read(text: string): Database.Statement {
    return this.sql(this.reader, text);
  }

  /** A statement of the write connection; only ever called inside a queued write. */
  private w(text: string): Database.Statement {
    return this.sql(this.writer, text);
  }

  /** Runs an insert, turning a unique violation into DuplicateKeyError with the value the caller gave. */
  private insert(text: string, params: unknown[], valueOf: (key: UniqueKey) => string): void {
    try {
      this.w(text).run(...params);
    } catch (error) {
      const key = error instanceof Database.SqliteError ? uniqueKeyOf(error.message) : null;
      if (key) throw new DuplicateKeyError(key, valueOf(key));
      throw error;
    }
  }

  private insertAccountNow(a: AccountRecord): void {
    this.insert(
      `INSERT INTO accounts (id, username, username_key, display_name, role, doctor_ids, password_hash, disabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [a.id, a.username, usernameKey(a.username), a.displayName, a.role, scopeColumn(a.doctorIds), a.passwordHash, a.disabled ? 1 : 0, a.createdAt, a.updatedAt],
      (key) => (key === 'account.username' ? a.username : a.id),
    );
  }

  insertAccount(account: AccountRecord): Promise<void> {
    return this.write(() => this.insertAccountNow(account));
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    const row = this.read('SELECT * FROM accounts WHERE id = ?').get(id) as AccountColumns | undefined;
    return row ? toAccount(row) : null;
  }

  async getAccountByUsername(username: string): Promise<AccountRecord | null> {
    const row = this.read('SELECT * FROM accounts WHERE username_key = ?').get(usernameKey(username)) as AccountColumns | undefined;
    return row ? toAccount(row) : null;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (this.read('SELECT * FROM accounts ORDER BY username_key').all() as AccountColumns[]).map(toAccount);
  }

  async countActiveAdmins(): Promise<number> {
    return this.read("SELECT count(*) FROM accounts WHERE role = 'admin' AND disabled = 0").pluck().get() as number;
  }

  setPasswordHash(accountId: string, passwordHash: string, at: number): Promise<boolean> {
    return this.write(() => this.w('UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, accountId).changes > 0);
  }

  setAccountDisabled(accountId: string, disabled: boolean, at: number): Promise<boolean> {
    return this.write(() => {
      const { changes } = this.w('UPDATE accounts SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, at, accountId);
      if (changes > 0 && disabled) this.w('DELETE FROM sessions WHERE account_id = ?').run(accountId);
      return changes > 0;
    });
  }

  updateAccount(accountId: string, changes: AccountChanges, at: number): Promise<AccountUpdate> {
    // One synchronous work of the queue: nothing else writes between the count and the update.
    return this.write((): AccountUpdate => {
      const row = this.w('SELECT * FROM accounts WHERE id = ?').get(accountId) as AccountColumns | undefined;
      if (!row) return { outcome: 'not-found' };
      const before = toAccount(row);
      const after: AccountRecord = { ...before, ...changes, updatedAt: at };
      if (isActiveAdmin(before) && !isActiveAdmin(after)) {
        const others = this.w("SELECT count(*) FROM accounts WHERE role = 'admin' AND disabled = 0 AND id <> ?").pluck().get(accountId) as number;
        if (others === 0) return { outcome: 'last-admin' };
      }
      this.w('UPDATE accounts SET display_name = ?, role = ?, doctor_ids = ?, disabled = ?, updated_at = ? WHERE id = ?').run(
        after.displayName,
        after.role,
        scopeColumn(after.doctorIds),
        after.disabled ? 1 : 0,
        at,
        accountId,
      );
      if (after.disabled) this.w('DELETE FROM sessions WHERE account_id = ?').run(accountId);
      return { outcome: 'updated', account: after };
    });
  }

  insertSession(s: SessionRecord): Promise<void> {
    return this.write(() =>
      this.insert(
        'INSERT INTO sessions (secret_hash, account_id, created_at, last_seen_at, user_agent, address) VALUES (?, ?, ?, ?, ?, ?)',
        [s.secretHash, s.accountId, s.createdAt, s.lastSeenAt, s.userAgent, s.address],
        () => s.secretHash,
      ),
    );
  }

  async getSession(secretHash: string): Promise<SessionRecord | null> {
    const row = this.read('SELECT * FROM sessions WHERE secret_hash = ?').get(secretHash) as SessionColumns | undefined;
    return row ? toSession(row) : null;
  }

  touchSession(secretHash: string, lastSeenAt: number): Promise<boolean> {
    return this.write(
      () => this.w('UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE secret_hash = ?').run(lastSeenAt, secretHash).changes > 0,
    );
  }

  deleteSession(secretHash: string): Promise<boolean> {
    return this.write(() => this.w('DELETE FROM sessions WHERE secret_hash = ?').run(secretHash).changes > 0);
  }

  deleteAccountSessions(accountId: string): Promise<number> {
    return this.write(() => this.w('DELETE FROM sessions WHERE account_id = ?').run(accountId).changes);
  }

  async listSessions(accountId: string): Promise<SessionRecord[]> {
    const rows = this.read('SELECT * FROM sessions WHERE account_id = ? ORDER BY created_at DESC, secret_hash').all(accountId);
    return (rows as SessionColumns[]).map(toSession);
  }

  deleteSessionsIdleSince(lastSeenBefore: number): Promise<number> {
    return this.write(() => this.w('DELETE FROM sessions WHERE last_seen_at < ?').run(lastSeenBefore).changes);
  }

  insertApiKey(k: ApiKeyRecord): Promise<void> {
    return this.write(() =>
      this.insert(
        `INSERT INTO api_keys (id, name, role, doctor_ids, secret_hash, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [k.id, k.name, k.role, scopeColumn(k.doctorIds), k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt],
        (key) => (key === 'apiKey.id' ? k.id : k.secretHash),
      ),
    );
  }

  async getApiKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    const row = this.read('SELECT * FROM api_keys WHERE secret_hash = ?').get(secretHash) as ApiKeyColumns | undefined;
    return row ? toApiKey(row) : null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.read('SELECT * FROM api_keys ORDER BY created_at, id').all() as ApiKeyColumns[]).map(toApiKey);
  }

  async touchApiKey(id: string, lastUsedAt: number): Promise<void> {
    await this.write(() => this.w('UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?').run(lastUsedAt, id));
  }

  revokeApiKey(id: string, at: number): Promise<boolean> {
    return this.write(() => this.w('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0);
  }

  insertDisplayLink(l: DisplayLinkRecord): Promise<void> {
    return this.write(() =>
      this.insert(
        'INSERT INTO display_links (id, name, doctor_ids, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)',
        [l.id, l.name, scopeColumn(l.doctorIds), l.secretHash, l.createdAt, l.revokedAt],
        (key) => (key === 'displayLink.id' ? l.id : l.secretHash),
      ),
    );
  }

  async getDisplayLinkBySecretHash(secretHash: string): Promise<DisplayLinkRecord | null> {
    const row = this.read('SELECT * FROM display_links WHERE secret_hash = ?').get(secretHash) as DisplayLinkColumns | undefined;
    return row ? toDisplayLink(row) : null;
  }

  async listDisplayLinks(): Promise<DisplayLinkRecord[]> {
    return (this.read('SELECT * FROM display_links ORDER BY created_at, id').all() as DisplayLinkColumns[]).map(toDisplayLink);
  }

  revokeDisplayLink(id: string, at: number): Promise<boolean> {
    return this.write(() => this.w('UPDATE display_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0);
  }

  insertSetupCode(c: SetupCodeRecord): Promise<void> {
    return this.write(() =>
      this.insert('INSERT INTO setup_codes (code_hash, expires_at, used_at) VALUES (?, ?, ?)', [c.codeHash, c.expiresAt, c.usedAt], () => c.codeHash),
    );
  }

  async countUsableSetupCodes(at: number): Promise<number> {
    return this.read('SELECT count(*) FROM setup_codes WHERE used_at IS NULL AND expires_at > ?').pluck().get(at) as number;
  }

  completeSetup(codeHash: string, at: number, admin: AccountRecord): Promise<SetupOutcome> {
    return this.write((): SetupOutcome => {
      const usable = this.w('SELECT 1 FROM setup_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?').get(codeHash, at);
      if (usable === undefined) return 'invalid-code';
      if (this.w("SELECT 1 FROM accounts WHERE role = 'admin' AND disabled = 0").get() !== undefined) return 'admin-exists';
      try {
        this.insertAccountNow(admin);
      } catch (error) {
        if (error instanceof DuplicateKeyError && error.key === 'account.username') return 'username-taken';
        throw error;
      }
      this.w('UPDATE setup_codes SET used_at = ? WHERE code_hash = ?').run(at, codeHash);
      return 'created';
    });
  }
}

function isActiveAdmin(a: AccountRecord): boolean {
  return a.role === 'admin' && !a.disabled;
}

function uniqueKeyOf(message: string): UniqueKey | null {
  const m = /^UNIQUE constraint failed: (\w+\.\w+)$/.exec(message);
  return m ? (UNIQUE[m[1]!] ?? null) : null;
}
