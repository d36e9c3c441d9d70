// Work on the pool outside the doctor-day transactions (accounts, settings, patients' personal data):
// one statement on any connection, or a transaction on one held connection. Either way a lost
// database is reported as StoreUnavailableError (a 503), and a held connection that drops cannot end
// the process.

import type pg from 'pg';
import { storeError } from './postgres-errors.ts';

/** One statement on any pooled connection. */
export async function poolQuery<R extends pg.QueryResultRow>(pool: Pick<pg.Pool, 'query'>, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (error) {
    throw storeError(error);
  }
}

/** `work` in one transaction on one connection; rolled back if it throws. */
export async function poolTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
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
