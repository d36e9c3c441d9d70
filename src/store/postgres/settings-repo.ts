// The settings table on PostgreSQL: each method is one statement on the pool. A lost database is
// reported as StoreUnavailableError (a 503).

import pg from 'pg';
import type { SettingsRepository } from '../settings-repo.ts';
import { poolQuery } from './pool-work.ts';

export class PostgresSettingsRepository implements SettingsRepository {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return poolQuery<R>(this.pool, text, values);
  }

  async getSetting(key: string): Promise<string | null> {
    const { rows } = await this.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value ?? null;
  }

  async initSetting(key: string, value: string, at: number): Promise<string> {
    // Two statements: the insert that loses a race waits for the winner's commit, and only a new
    // statement's snapshot sees the winner's row.
    await this.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING', [key, value, at]);
    const { rows } = await this.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]!.value;
  }

  async putSetting(key: string, value: string, at: number): Promise<void> {
    await this.query(
      'INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      [key, value, at],
    );
  }
}
