// A store on a database of its own, with a second, raw connection to read and change that database
// behind the store's back (what the personal-data and patient-words suites check tables with): a
// SQLite file in a temporary folder, or a PostgreSQL schema of its own, removed by `close`.

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../../src/store/open-store.ts';
import { openPostgresStore } from '../../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../../src/store/store.ts';

export interface RawDatabase {
  store: Store;
  /** Rows of a statement (no parameters). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  run(sql: string): Promise<void>;
  /** The names of every table of the store. */
  tables(): Promise<string[]>;
  /** A fresh store on the same database (after `run` changed it behind the first one's back). */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

/** A migrated SQLite store on a new file (its folder named after `prefix`), and a raw connection to it. */
export async function rawSqlite(prefix: string): Promise<RawDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `opd-${prefix}-`));
  const file = join(dir, 'opd.sqlite');
  const stores: Store[] = [await openStore({ kind: 'sqlite', file })];
  const raw = new Database(file);
  return {
    store: stores[0]!,
    all: async (sql) => raw.prepare(sql).all() as Record<string, unknown>[],
    run: async (sql) => {
      raw.exec(sql);
    },
    tables: async () => raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[],
    reopen: async () => {
      const store = await openStore({ kind: 'sqlite', file });
      stores.push(store);
      return store;
    },
    close: async () => {
      raw.close();
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated PostgreSQL store in a new schema (named after `prefix`), and a raw client on that schema. */
export async function rawPostgres(url: string, prefix: string): Promise<RawDatabase> {
  const schema = `opd_test_${prefix}_${randomBytes(5).toString('hex')}`;
  const first = openPostgresStore(url, { schema });
  await first.migrate();
  const stores: Store[] = [first];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  return {
    store: first,
    all: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
    run: async (sql) => {
      await client.query(sql);
    },
    tables: async () =>
      (await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema])).rows.map((r) => r.table_name),
    reopen: async () => {
      const store = openPostgresStore(url, { schema });
      stores.push(store);
      return store;
    },
    close: async () => {
      for (const s of stores) await s.close();
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    },
  };
}
