// Personal data on PostgreSQL (see ../personal-repo.ts). Each call is one statement (autocommit) or
// one short transaction.

import pg from 'pg';
import { searchSql, toHit, toPersonal, type ErasedBefore, type HitColumns, type PersonalColumns, type PersonalRepository, type PersonalSearch, type SearchHit } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
import type { DayKey } from '../store.ts';
import { storeError } from './postgres-errors.ts';

/** `?` placeholders numbered for PostgreSQL. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PostgresPersonalRepository implements PersonalRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** A statement on any pooled connection; a lost database is reported as StoreUnavailableError (a 503). */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw storeError(error);
    }
  }

  /** `work` in one transaction on one connection; rolled back if it throws. */
  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(error);
    }
    let broken: Error | undefined;
    // A connection that drops while held emits 'error': without a listener that would end the process.
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost ??= error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e; // the connection is unusable: the pool must drop it
      });
      throw storeError(error);
    } finally {
      client.off('error', onError);
      client.release(broken ?? lost);
    }
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
