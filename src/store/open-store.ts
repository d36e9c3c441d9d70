// Opens the store the configuration names and brings its schema up to date.

import type { StoreConfig } from '../config.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export async function openStore(config: StoreConfig): Promise<Store> {
  const store = config.kind === 'sqlite' ? openSqliteStore(config.file) : openPostgresStore(config.url);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
