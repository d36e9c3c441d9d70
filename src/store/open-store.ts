// Opens the store the configuration names and brings its schema up to date.

import type { StoreConfig } from '../config.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store, StoreObserver } from './store.ts';

export async function openStore(config: StoreConfig, metrics?: StoreObserver): Promise<Store> {
  const store = config.kind === 'sqlite' ? openSqliteStore(config.file, { metrics }) : openPostgresStore(config.url, { metrics });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
