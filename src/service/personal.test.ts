// Personal data apart (SPEC 12) on SQLite: a store on a file of its own, read with a second connection.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { personalSuite } from '../../test/suites/service/personal-suite.ts';

personalSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-personal-'));
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
});
