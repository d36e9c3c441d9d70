// The access tables on PostgreSQL. Single statements run on the pool (each is its own transaction);
// the two changes that must be whole — disabling an account with its sessions, and consuming a
// set-up code with the first admin — run in one transaction on one connection. A lost database is
// reported as StoreUnavailableError (a 503): every request that resolves a credential reads here.

import pg from 'pg';
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
import { storeError, uniqueConstraint } from './postgres-errors.ts';
import { poolQuery, poolTransaction } from './pool-work.ts';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const UNIQUE: Record<string, UniqueKey> = {
  accounts_pkey: 'account.id',
  accounts_username_key_key: 'account.username',
  sessions_pkey: 'session.secretHash',
  api_keys_pkey: 'apiKey.id',
  api_keys_secret_hash_key: 'apiKey.secretHash',
  display_links_pkey: 'displayLink.id',
  display_links_secret_hash_key: 'displayLink.secretHash',
  setup_codes_pkey: 'setupCode.codeHash',
};

async function insert(q: Queryable, text: string, values: unknown[], valueOf: (key: UniqueKey) => string): Promise<void> {
  try {
    await q.query(text, values);
  } catch (error) {
    const constraint = uniqueConstraint(error);
    const key = constraint === null ? undefined : UNIQUE[constraint];
    if (key) throw new DuplicateKeyError(key, valueOf(key));
    throw storeError(error);
  }
}

function insertAccount(q: Queryable, a: AccountRecord): Promise<void> {
  return insert(
    q,
    `INSERT INTO accounts (id, username, username_key, display_name, role, doctor_ids, password_hash, disabled, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.id, a.username, usernameKey(a.username), a.displayName, a.role, scopeColumn(a.doctorIds), a.passwordHash, a.disabled, a.createdAt, a.updatedAt],
    (key) => (key === 'account.username' ? a.username : a.id),
  );
}

// Serializes set-up completions across servers (two-key form, apart from the store's other locks).
const SETUP_LOCK = [0x0d7001, 0x5e7] as const;
// Serializes account updates across servers, so two admins demoting each other at once leave one.
const ADMINS_LOCK = [0x0d7001, 0xad1] as const;

const isActiveAdmin = (a: AccountRecord) => a.role === 'admin' && !a.disabled;

export class PostgresAccessRepository implements AccessRepository {
  constructor(private readonly pool: pg.Pool) {}

  private inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return poolTransaction(this.pool, work);
  }

  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return poolQuery<R>(this.pool, text, values);
  }

  private async rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.query(text, values)).rows as T[];
  }

  private async changed(text: string, values: unknown[]): Promise<number> {
    return (await this.query(text, values)).rowCount ?? 0;
  }

  insertAccount(account: AccountRecord): Promise<void> {
    return insertAccount(this.pool, account);
  }

  async getAccount(id: string): Promise<AccountRecord | null> {
    const [row] = await this.rows<AccountColumns>('SELECT * FROM accounts WHERE id = $1', [id]);
    return row ? toAccount(row) : null;
  }

  async getAccountByUsername(username: string): Promise<AccountRecord | null> {
    const [row] = await this.rows<AccountColumns>('SELECT * FROM accounts WHERE username_key = $1', [usernameKey(username)]);
    return row ? toAccount(row) : null;
  }

  async listAccounts(): Promise<AccountRecord[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    return (await this.rows<AccountColumns>('SELECT * FROM accounts ORDER BY username_key COLLATE "C"')).map(toAccount);
  }

  async countActiveAdmins(): Promise<number> {
    const [row] = await this.rows<{ n: number }>("SELECT count(*)::int AS n FROM accounts WHERE role = 'admin' AND NOT disabled");
    return row!.n;
  }

  async setPasswordHash(accountId: string, passwordHash: string, at: number): Promise<boolean> {
    return (await this.changed('UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3', [passwordHash, at, accountId])) > 0;
  }

  setAccountDisabled(accountId: string, disabled: boolean, at: number): Promise<boolean> {
    return this.inTransaction(async (client) => {
      const { rowCount } = await client.query('UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3', [disabled, at, accountId]);
      if (!rowCount) return false;
      if (disabled) await client.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
      return true;
    });
  }

  updateAccount(accountId: string, changes: AccountChanges, at: number): Promise<AccountUpdate> {
    return this.inTransaction(async (client): Promise<AccountUpdate> => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...ADMINS_LOCK]);
      const { rows } = await client.query<AccountColumns>('SELECT * FROM accounts WHERE id = $1', [accountId]);
      if (!rows[0]) return { outcome: 'not-found' };
      const before = toAccount(rows[0]);
      const after: AccountRecord = { ...before, ...changes, updatedAt: at };
      if (isActiveAdmin(before) && !isActiveAdmin(after)) {
        const others = await client.query("SELECT 1 FROM accounts WHERE role = 'admin' AND NOT disabled AND id <> $1 LIMIT 1", [accountId]);
        if (others.rowCount === 0) return { outcome: 'last-admin' };
      }
      await client.query('UPDATE accounts SET display_name = $1, role = $2, doctor_ids = $3, disabled = $4, updated_at = $5 WHERE id = $6', [
        after.displayName,
        after.role,
        scopeColumn(after.doctorIds),
        after.disabled,
        at,
        accountId,
      ]);
      if (after.disabled) await client.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
      return { outcome: 'updated', account: after };
    });
  }

  insertSession(s: SessionRecord): Promise<void> {
    return insert(
      this.pool,
      'INSERT INTO sessions (secret_hash, account_id, created_at, last_seen_at, user_agent, address) VALUES ($1, $2, $3, $4, $5, $6)',
      [s.secretHash, s.accountId, s.createdAt, s.lastSeenAt, s.userAgent, s.address],
      () => s.secretHash,
    );
  }

  async getSession(secretHash: string): Promise<SessionRecord | null> {
    const [row] = await this.rows<SessionColumns>('SELECT * FROM sessions WHERE secret_hash = $1', [secretHash]);
    return row ? toSession(row) : null;
  }

  async touchSession(secretHash: string, lastSeenAt: number): Promise<boolean> {
    return (await this.changed('UPDATE sessions SET last_seen_at = greatest(last_seen_at, $1) WHERE secret_hash = $2', [lastSeenAt, secretHash])) > 0;
  }

  async deleteSession(secretHash: string): Promise<boolean> {
    return (await this.changed('DELETE FROM sessions WHERE secret_hash = $1', [secretHash])) > 0;
  }

  deleteAccountSessions(accountId: string): Promise<number> {
    return this.changed('DELETE FROM sessions WHERE account_id = $1', [accountId]);
  }

  async listSessions(accountId: string): Promise<SessionRecord[]> {
    const rows = await this.rows<SessionColumns>('SELECT * FROM sessions WHERE account_id = $1 ORDER BY created_at DESC, secret_hash COLLATE "C"', [accountId]);
    return rows.map(toSession);
  }

  deleteSessionsIdleSince(lastSeenBefore: number): Promise<number> {
    return this.changed('DELETE FROM sessions WHERE last_seen_at < $1', [lastSeenBefore]);
  }

  insertApiKey(k: ApiKeyRecord): Promise<void> {
    return insert(
      this.pool,
      'INSERT INTO api_keys (id, name, role, doctor_ids, secret_hash, created_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [k.id, k.name, k.role, scopeColumn(k.doctorIds), k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt],
      (key) => (key === 'apiKey.id' ? k.id : k.secretHash),
    );
  }

  async getApiKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.rows<ApiKeyColumns>('SELECT * FROM api_keys WHERE secret_hash = $1', [secretHash]);
    return row ? toApiKey(row) : null;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.rows<ApiKeyColumns>('SELECT * FROM api_keys ORDER BY created_at, id COLLATE "C"')).map(toApiKey);
  }

  async touchApiKey(id: string, lastUsedAt: number): Promise<void> {
    await this.query('UPDATE api_keys SET last_used_at = greatest(coalesce(last_used_at, 0), $1) WHERE id = $2', [lastUsedAt, id]);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    return (await this.changed('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])) > 0;
  }

  insertDisplayLink(l: DisplayLinkRecord): Promise<void> {
    return insert(
      this.pool,
      'INSERT INTO display_links (id, name, doctor_ids, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [l.id, l.name, scopeColumn(l.doctorIds), l.secretHash, l.createdAt, l.revokedAt],
      (key) => (key === 'displayLink.id' ? l.id : l.secretHash),
    );
  }

  async getDisplayLinkBySecretHash(secretHash: string): Promise<DisplayLinkRecord | null> {
    const [row] = await this.rows<DisplayLinkColumns>('SELECT * FROM display_links WHERE secret_hash = $1', [secretHash]);
    return row ? toDisplayLink(row) : null;
  }

  async listDisplayLinks(): Promise<DisplayLinkRecord[]> {
    return (await this.rows<DisplayLinkColumns>('SELECT * FROM display_links ORDER BY created_at, id COLLATE "C"')).map(toDisplayLink);
  }

  async revokeDisplayLink(id: string, at: number): Promise<boolean> {
    return (await this.changed('UPDATE display_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])) > 0;
  }

  insertSetupCode(c: SetupCodeRecord): Promise<void> {
    return insert(this.pool, 'INSERT INTO setup_codes (code_hash, expires_at, used_at) VALUES ($1, $2, $3)', [c.codeHash, c.expiresAt, c.usedAt], () => c.codeHash);
  }

  async countUsableSetupCodes(at: number): Promise<number> {
    const [row] = await this.rows<{ n: number }>('SELECT count(*)::int AS n FROM setup_codes WHERE used_at IS NULL AND expires_at > $1', [at]);
    return row!.n;
  }

  async completeSetup(codeHash: string, at: number, admin: AccountRecord): Promise<SetupOutcome> {
    try {
      return await this.inTransaction(async (client): Promise<SetupOutcome> => {
        // Two servers completing set-up at once (with one code or two): one at a time, so only one
        // first admin is ever made.
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...SETUP_LOCK]);
        const usable = await client.query('SELECT 1 FROM setup_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2', [codeHash, at]);
        if (usable.rowCount === 0) return 'invalid-code';
        const admins = await client.query("SELECT 1 FROM accounts WHERE role = 'admin' AND NOT disabled LIMIT 1");
        if (admins.rowCount !== 0) return 'admin-exists';
        await insertAccount(client, admin);
        await client.query('UPDATE setup_codes SET used_at = $1 WHERE code_hash = $2', [at, codeHash]);
        return 'created';
      });
    } catch (error) {
      // The failed insert aborted the transaction, which inTransaction rolled back: nothing changed.
      if (error instanceof DuplicateKeyError && error.key === 'account.username') return 'username-taken';
      throw error;
    }
  }
}
