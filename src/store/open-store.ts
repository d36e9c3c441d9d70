// Opens the store the configuration names and brings its schema up to date (unless asked not to:
// `opd check` only reads, and must not change the database it examines).

import type { StoreConfig } from '../config.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store, StoreObserver } from './store.ts';

export interface OpenOptions {
  /** `false`: use the database as it is, never changing its schema (a check must not change what it reads). */
  migrate?: boolean;
  /** Told of commits, transactions and lock waits (the served metrics). */
  metrics?: StoreObserver;
  /** PostgreSQL: told when the connection that listens for other servers' events is lost (it reconnects). */
  onListenError?: (err: unknown) => void;
}

export async function openStore(config: StoreConfig, options: OpenOptions = {}): Promise<Store> {
  const { metrics } = options;
  const store = config.kind === 'sqlite' ? openSqliteStore(config.file, { metrics }) : openPostgresStore(config.url, { metrics, onListenError: options.onListenError });
  if (options.migrate === false) return store;
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
