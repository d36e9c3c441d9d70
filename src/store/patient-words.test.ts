// Migration 9 (patient_words) on SQLite, and the end of a prefix's range.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rawSqlite } from '../../test/kits/store/raw-database.ts';
import { patientWordsSuite } from '../../test/suites/store/patient-words-suite.ts';
import { fillPatientWords, prefixEnd } from './patient-words.ts';
import { nameWordStarts } from './patient-words-written.ts';
import { MIGRATIONS } from './migrations.ts';

describe('prefixEnd: the first text after every text starting with the prefix', () => {
  it('steps the last character, over the surrogates, past U+10FFFF to the one before', () => {
    expect(prefixEnd('pat')).toBe('pau');
    expect(prefixEnd('कु')).toBe('क\u0942');
    expect(prefixEnd('a\uD7FF')).toBe('a\uE000');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\u{10FFFF}')).toBeNull();
  });
});

describe("nameWordStarts: a folded name from each word's start on (migration 13)", () => {
  it('is the whole name and what follows each space, never an empty rest', () => {
    expect(nameWordStarts('ravi patil')).toEqual(['ravi patil', 'patil']);
    expect(nameWordStarts('anupama')).toEqual(['anupama']);
    expect(nameWordStarts('')).toEqual([]);
    expect(nameWordStarts('a  b')).toEqual(['a  b', ' b', 'b']);
    expect(nameWordStarts('ravi ')).toEqual(['ravi ']);
    expect(nameWordStarts(' ravi')).toEqual([' ravi', 'ravi']);
    expect(nameWordStarts('𝒜x 𝒜y')).toEqual(['𝒜x 𝒜y', '𝒜y']);
  });

  it("finds what migration 9's SQL finds, for the names SQL alone worded", async () => {
    const names = ['ravi patil', 'anupama', '', 'a  b', 'ravi ', ' ravi', '𝒜x 𝒜y', 'राम कुमार', 'o\'brien  d  e ', '   ', 'x'];
    const db = new Database(':memory:');
    for (const m of MIGRATIONS.filter((m) => m.version <= 9)) db.exec(m.sqlite);
    db.exec('DROP TRIGGER patient_words_insert');
    const insert = db.prepare("INSERT INTO patients (token_id, doctor_id, date, name, name_folded) VALUES (?, 'd', '2026-03-10', ?, ?)");
    names.forEach((name, i) => insert.run(`t${i}`, name, name));
    await fillPatientWords({
      dialect: 'sqlite',
      all: async (sql) => db.prepare(sql).all() as Record<string, unknown>[],
      run: async (sql) => void db.prepare(sql).run(),
    });
    const bySql = names.map((_, i) => (db.prepare('SELECT suffix FROM patient_words WHERE token_id = ?').pluck().all(`t${i}`) as string[]).sort());
    db.close();
    expect(names.map((name) => nameWordStarts(name).sort())).toEqual(bySql);
  });
});

patientWordsSuite('SQLite', () => rawSqlite('words'));

