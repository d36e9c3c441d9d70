// Opens the store the configuration names and brings its schema up to date.

import type { StoreConfig } from '../config.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenOptions {
  /** PostgreSQL: told when the connection that listens for other servers' events is lost (it reconnects). */
  onListenError?: (err: unknown) => void;
}

export async function openStore(config: StoreConfig, options: OpenOptions = {}): Promise<Store> {
  const store = config.kind === 'sqlite' ? openSqliteStore(config.file) : openPostgresStore(config.url, { onListenError: options.onListenError });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
