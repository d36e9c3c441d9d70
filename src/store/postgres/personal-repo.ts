// Personal data on PostgreSQL (see ../personal-repo.ts). Each call is one statement (autocommit) or
// one short transaction.

import pg from 'pg';
import { searchSql, toHit, toPersonal, type ErasedBefore, type HitColumns, type PersonalColumns, type PersonalRepository, type PersonalSearch, type SearchHit } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
import type { DayKey } from '../store.ts';
import { poolQuery, poolTransaction } from './pool-work.ts';

/** `?` placeholders numbered for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PostgresPersonalRepository implements PersonalRepository {
  constructor(private readonly pool: pg.Pool) {}

  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return poolQuery<R>(this.pool, text, values);
  }

  private inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return poolTransaction(this.pool, work);
  }

  async daySecret(key: DayKey, candidate: string): Promise<string> {
    // One statement: the row inserted, or the one another server inserted first.
    const { rows } = await this.query<{ secret: string }>(
      `WITH ins AS (INSERT INTO day_secrets (doctor_id, date, secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING secret)
       SELECT secret FROM ins UNION ALL SELECT secret FROM day_secrets WHERE doctor_id = $1 AND date = $2`,
      [key.doctorId, key.date, candidate],
    );
    if (rows[0]) return rows[0].secret;
    // Inserted by a transaction that committed after this statement's snapshot: read it now.
    const again = await this.query<{ secret: string }>('SELECT secret FROM day_secrets WHERE doctor_id = $1 AND date = $2', [key.doctorId, key.date]);
    return again.rows[0]!.secret;
  }

  async ofDay(key: DayKey): Promise<PersonalRow[]> {
    const { rows } = await this.query<PersonalColumns>('SELECT * FROM patients WHERE date = $1 AND doctor_id = $2', [key.date, key.doctorId]);
    return rows.map(toPersonal);
  }

  async ofTokens(tokenIds: readonly string[]): Promise<PersonalRow[]> {
    if (tokenIds.length === 0) return [];
    const { rows } = await this.query<PersonalColumns>('SELECT * FROM patients WHERE token_id = ANY($1)', [tokenIds]);
    return rows.map(toPersonal);
  }

  eraseBefore(date: string, createdBefore: string): Promise<ErasedBefore> {
    return this.inTransaction(async (c) => ({
      tokens: (await c.query('DELETE FROM patients WHERE date < $1', [date])).rowCount ?? 0,
      days: (await c.query('DELETE FROM day_secrets WHERE date < $1', [date])).rowCount ?? 0,
      answers: (await c.query('DELETE FROM idempotency WHERE created_at < $1', [createdBefore])).rowCount ?? 0,
    }));
  }

  async search(q: PersonalSearch): Promise<SearchHit[]> {
    const { sql, args } = searchSql(q);
    const { rows } = await this.query<HitColumns>(numbered(sql), args);
    return rows.map(toHit);
  }
}
