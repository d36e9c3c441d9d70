// Actors on events, on SQLite: a store on a file of its own, its rows read with a second connection.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.ts';
import { actorSuite, type ActorRow } from '../../test/suites/service/actors-suite.ts';

actorSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-actors-'));
  const file = join(dir, 'opd.sqlite');
  const store = await openStore({ kind: 'sqlite', file });
  const rows = async (): Promise<ActorRow[]> => {
    const db = new Database(file, { readonly: true });
    try {
      const all = db.prepare('SELECT type, actor_id, actor FROM events ORDER BY seq').all() as { type: string; actor_id: string | null; actor: string | null }[];
      return all.map((r) => ({ type: r.type, actorId: r.actor_id, actor: r.actor === null ? null : JSON.parse(r.actor) }));
    } finally {
      db.close();
    }
  };
  return {
    store,
    rows,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
