// Migration 12 on SQLite: the reports' summaries move from a WITHOUT ROWID table (where a summary of
// about 1 KB spills into an overflow page read whole at every key comparison) to a rowid table, with
// the summaries already there kept, and the repository works on the new table.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.ts';

describe('day summaries on SQLite (migration 12)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opd-summary-repo-'));
    file = join(dir, 'opd.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the summaries of a database before step 12 into a rowid table, and keeps them', async () => {
    const first = openSqliteStore(file);
    await first.migrate();
    await first.close();
    // The table as step 7 made it, with one summary in it, and step 12 not yet applied.
    const raw = new Database(file);
    raw.exec(`
      DROP TABLE day_summaries;
      CREATE TABLE day_summaries (doctor_id TEXT NOT NULL, date TEXT NOT NULL, version INTEGER NOT NULL CHECK (version >= 0), format INTEGER NOT NULL, summary TEXT NOT NULL, PRIMARY KEY (doctor_id, date)) STRICT, WITHOUT ROWID;
      INSERT INTO day_summaries VALUES ('doc-1', '2026-03-10', 40, 1, '{"kept":true}');
      DELETE FROM schema_migrations WHERE version = 12;
    `);
    const tableSql = () => raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'day_summaries'").pluck().get() as string;
    expect(tableSql()).toContain('WITHOUT ROWID');
    const store = openSqliteStore(file);
    try {
      await store.migrate();
      expect(tableSql()).not.toContain('WITHOUT ROWID');
      expect(raw.prepare('SELECT doctor_id, date, version, format, summary FROM day_summaries').all()).toEqual([
        { doctor_id: 'doc-1', date: '2026-03-10', version: 40, format: 1, summary: '{"kept":true}' },
      ]);
      // The upsert still finds its row by (doctor_id, date): a later version replaces it, an older one does not.
      await store.summaries.putSummaries([{ doctorId: 'doc-1', date: '2026-03-10', version: 41, format: 1, json: '{"later":true}' }]);
      await store.summaries.putSummaries([{ doctorId: 'doc-1', date: '2026-03-10', version: 39, format: 1, json: '{"older":true}' }]);
      expect(raw.prepare('SELECT version, summary FROM day_summaries').all()).toEqual([{ version: 41, summary: '{"later":true}' }]);
    } finally {
      raw.close();
      await store.close();
    }
  });
});
