// Backup and restore of the embedded file, in-process: a backup holds the commits still only in the
// server's write-ahead log; a restore refuses what it must (not a database, not ours, newer, a live
// file, an existing database without force) and keeps what it replaces, write-ahead log included.

import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bookedDay, doctor, slotRows, tokenRows } from '../../../test/suites/store/contract-fixtures.ts';
import { MIGRATIONS } from '../migrations.ts';
import { backupDatabase, DatabaseFileError, databaseInUse, inspectDatabase, restoreDatabase } from './backup.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

/** The newest schema step this version has: a fresh store is migrated up to it. */
const LATEST_STEP = MIGRATIONS.at(-1)!.version;

const root = mkdtempSync(join(tmpdir(), 'opd-backup-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const dir = join(root, `case-${++n}`);
  return { dir, file: join(dir, 'opd.sqlite') };
};

/** A store on `file` holding `days` booked doctor-days; left open, as a running server leaves it. */
async function liveStore(file: string, days = 3): Promise<SqliteStore> {
  const store = openSqliteStore(file);
  await store.migrate();
  for (let i = 0; i < days; i++) {
    const f = bookedDay(`doc-${i}`);
    await store.transaction(async (tx) => {
      await tx.insertDoctor(doctor(`doc-${i}`, `D${String.fromCharCode(65 + i)}`));
      await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
    });
  }
  return store;
}

async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (err) {
    if (err instanceof DatabaseFileError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('backupDatabase', () => {
  it('copies what is still only in the write-ahead log, into one checked file', async () => {
    const { dir, file } = folder();
    const store = await liveStore(file);
    try {
      // The server's commits are in opd.sqlite-wal: the main file alone does not even have the tables.
      expect(existsSync(`${file}-wal`)).toBe(true);
      const target = join(dir, 'backup.sqlite');
      const { summary } = await backupDatabase(file, target);
      expect(summary).toMatchObject({ schemaVersion: LATEST_STEP, doctors: 3, doctorDays: 3, tokens: 9, latestDate: '2026-01-05' });
      expect(summary.events).toBe(summary.lastEventSeq);
      expect(readdirSync(dir).filter((f) => f.startsWith('backup') || f.startsWith('.'))).toEqual(['backup.sqlite']);
      const copy = new Database(target, { readonly: true });
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      copy.close();
      expect(await refusal(() => backupDatabase(file, target))).toMatch(/already exists: choose another name, or add --force/);
      expect((await backupDatabase(file, target, { force: true })).summary.tokens).toBe(9);
      expect(await refusal(() => backupDatabase(join(dir, 'none.sqlite'), join(dir, 'b2.sqlite')))).toMatch(/there is no database at/);
    } finally {
      await store.close();
    }
  });
});

describe('restoreDatabase', () => {
  it('refuses a file that is not a sound token-desk database, and changes nothing', async () => {
    const { dir, file } = folder();
    const store = await liveStore(join(dir, 'source.sqlite'), 1);
    await store.close();
    const good = join(dir, 'good.sqlite');
    await backupDatabase(join(dir, 'source.sqlite'), good);

    const text = join(dir, 'text.sqlite');
    writeFileSync(text, 'hello '.repeat(1000));
    expect(await refusal(() => restoreDatabase(text, file))).toMatch(/is not a sound SQLite database: file is not a database|cannot be opened/);

    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE things (x)');
    db.close();
    expect(await refusal(() => restoreDatabase(other, file))).toMatch(/is not a token-desk database: it has no doctors, doctor_days, events, slots, tokens, idempotency, schema_migrations table/);

    const newer = join(dir, 'newer.sqlite');
    copyFileSync(good, newer);
    const nd = new Database(newer);
    nd.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')").run();
    nd.close();
    expect(await refusal(() => restoreDatabase(newer, file))).toMatch(new RegExp(`made by a newer version of the token desk \\(schema step 99; this version knows up to ${LATEST_STEP}\\)`));

    // A page of the tokens table overwritten: SQLite's integrity check fails.
    const broken = join(dir, 'broken.sqlite');
    copyFileSync(good, broken);
    const bd = new Database(broken);
    const page = bd.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'tokens'").pluck().get() as number;
    const size = bd.pragma('page_size', { simple: true }) as number;
    bd.close();
    const bytes = (await import('node:fs')).readFileSync(broken);
    bytes.fill(0xff, (page - 1) * size + 8, (page - 1) * size + 64);
    writeFileSync(broken, bytes);
    expect(await refusal(() => restoreDatabase(broken, file))).toMatch(/fails SQLite's integrity check|is not a sound SQLite database/);

    writeFileSync(`${good}-wal`, '');
    expect(await refusal(() => restoreDatabase(good, file))).toMatch(/has a write-ahead log beside it/);
    rmSync(`${good}-wal`);
    expect(existsSync(file)).toBe(false);
    expect(restoreDatabase(good, file)).toMatchObject({ keptAs: null, summary: { doctors: 1, tokens: 3 } });
    // A damaged database in the way is nobody's: with --force it is replaced, and kept.
    const damaged = join(dir, 'damaged', 'opd.sqlite');
    (await import('node:fs')).mkdirSync(join(dir, 'damaged'));
    writeFileSync(damaged, 'garbage '.repeat(1000));
    expect(await refusal(() => restoreDatabase(good, damaged))).toMatch(/already exists: add --force/);
    expect(restoreDatabase(good, damaged, { force: true }).keptAs).toMatch(/opd\.sqlite\.replaced-\d{8}T\d{6}Z$/);
  });

  it('refuses a database in use and one that exists without force; with force keeps the old one whole', async () => {
    const { dir, file } = folder();
    const backup = join(dir, 'backup.sqlite');
    const store = await liveStore(file, 1);
    await backupDatabase(file, backup);
    for (let i = 1; i < 3; i++) {
      const f = bookedDay(`doc-${i}`);
      await store.transaction(async (tx) => {
        await tx.insertDoctor(doctor(`doc-${i}`, `E${String.fromCharCode(65 + i)}`));
        await tx.append(f.key, f.events, slotRows(f), tokenRows(f));
      });
    }
    expect(databaseInUse(file)).toBe(true);
    expect(await refusal(() => restoreDatabase(backup, file, { force: true }))).toMatch(/is in use by another process: stop the server/);
    // What a crash leaves: the file with its write-ahead log, nobody holding them.
    const crashed = join(dir, 'crashed');
    (await import('node:fs')).mkdirSync(crashed);
    for (const suffix of ['', '-wal']) copyFileSync(file + suffix, join(crashed, 'opd.sqlite') + suffix);
    await store.close();
    const target = join(crashed, 'opd.sqlite');
    expect(databaseInUse(target)).toBe(false);
    expect(await refusal(() => restoreDatabase(backup, target))).toMatch(/already exists: add --force/);

    const { keptAs, summary } = restoreDatabase(backup, target, { force: true, now: new Date('2026-03-10T13:05:09.123Z') });
    expect(keptAs).toBe(`${target}.replaced-20260310T130509Z`);
    expect(summary.tokens).toBe(3);
    expect(inspectDatabase(target).tokens).toBe(3);
    // The replaced database is kept with everything it had: the commits of its log were folded into it.
    expect(readdirSync(crashed).sort()).toEqual(['opd.sqlite', 'opd.sqlite.replaced-20260310T130509Z']);
    expect(inspectDatabase(keptAs!).tokens).toBe(9);
  });
});
