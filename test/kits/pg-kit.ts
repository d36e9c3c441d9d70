// A PostgreSQL database of a test's own, with a random name, for the tests that break connections:
// whatever they terminate is filtered by that name, so other tests on the same server are untouched.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const baseUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;

export async function sql<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Terminates every backend of this database (and only of it) but the caller's; how many. */
  terminateBackends(filter?: { applicationName?: string }): Promise<number>;
  /** Transactions committed in this database so far (pg_stat_database, refreshed). */
  commits(): Promise<number>;
  drop(): Promise<void>;
}

export async function createDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await sql(baseUrl!, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const u = new URL(baseUrl!);
  u.pathname = `/${name}`;
  const url = u.toString();
  const terminate = (applicationName?: string) =>
    sql(baseUrl!, async (c) => {
      const { rows } = await c.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND ($2::text IS NULL OR application_name = $2)`,
        [name, applicationName ?? null],
      );
      return rows.filter((r) => r.ok).length;
    });
  return {
    name,
    url,
    terminateBackends: (filter) => terminate(filter?.applicationName),
    commits: () =>
      sql(baseUrl!, async (c) => {
        await c.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await c.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [name]);
        return Number(rows[0]!.n);
      }),
    drop: async () => {
      await terminate();
      await sql(baseUrl!, (c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

export interface FreshSchemas {
  /** A new schema name of this run's (the store creates it when it migrates). */
  next(): string;
  /** Drops every schema `next` named. */
  dropAll(): Promise<void>;
}

/** Schemas of a test file's own in the shared database, named `<prefix>_<run>_<n>`, dropped together. */
export function freshSchemas(prefix: string): FreshSchemas {
  const run = randomBytes(4).toString('hex');
  const names: string[] = [];
  return {
    next() {
      const name = `${prefix}_${run}_${names.length + 1}`;
      names.push(name);
      return name;
    },
    async dropAll() {
      if (!baseUrl || names.length === 0) return;
      await sql(baseUrl, async (c) => {
        for (const name of names) await c.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`);
      });
    },
  };
}
