// Migration 9 (patient_words) on SQLite, and the end of a prefix's range.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';
import { patientWordsSuite } from '../../test/suites/store/patient-words-suite.ts';
import { prefixEnd } from './patient-words.ts';
import type { Store } from './store.ts';

describe('prefixEnd: the first text after every text starting with the prefix', () => {
  it('steps the last character, over the surrogates, past U+10FFFF to the one before', () => {
    expect(prefixEnd('pat')).toBe('pau');
    expect(prefixEnd('कु')).toBe('क\u0942');
    expect(prefixEnd('a\uD7FF')).toBe('a\uE000');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\u{10FFFF}')).toBeNull();
  });
});

patientWordsSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-words-'));
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
