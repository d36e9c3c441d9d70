// Backup and restore of the embedded database file. A backup is SQLite's online backup, taken from a
// read-only connection while the server may be writing in another process: copied in one step, so
// it is one commit point of the file (every change committed before it, none half-done) and never
// restarted by the server's writes. A restore replaces the file only on a stopped server, with a
// backup that has passed SQLite's integrity check and holds the token desk's schema, and keeps the
// replaced database (with its -wal and -shm) beside it.

import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MIGRATIONS } from '../migrations.ts';

/** A refusal: the operator can do something about it (stop the server, use --force, pick another file). */
export class DatabaseFileError extends Error {}

/** The files SQLite keeps beside a database while it is open, or after a crash. */
const COMPANIONS = ['-wal', '-shm', '-journal'];
/** sqlite3_backup_step pages at once: all of them, so the copy is one snapshot and never restarts. */
const ALL_PAGES = 0x7fffffff;
/** How long the backup's read may wait for the writer (only a WAL recovery or checkpoint holds it up). */
const BUSY_TIMEOUT_MS = 10_000;
const TABLES = ['doctors', 'doctor_days', 'events', 'slots', 'tokens', 'idempotency', 'schema_migrations'];

/** What a sound OPD database holds, for the operator's confirmation line. */
export interface DatabaseSummary {
  bytes: number;
  /** The highest schema step recorded in schema_migrations. */
  schemaVersion: number;
  doctors: number;
  doctorDays: number;
  tokens: number;
  events: number;
  /** The sequence number of its last event (0 when none): where the live feed resumes. */
  lastEventSeq: number;
  /** The date of its latest doctor-day, if any. */
  latestDate: string | null;
}

/**
 * Opens `file` read-only and checks it is a sound token-desk database: SQLite's integrity check
 * passes, the tables are there and schema_migrations records steps this version knows.
 */
export function inspectDatabase(file: string): DatabaseSummary {
  if (!existsSync(file)) throw new DatabaseFileError(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new DatabaseFileError(`${file} cannot be opened as an SQLite database: ${(err as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    let integrity: string[];
    try {
      integrity = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
    } catch (err) {
      throw new DatabaseFileError(`${file} is not a sound SQLite database: ${(err as Error).message}`);
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new DatabaseFileError(`${file} fails SQLite's integrity check: ${integrity.slice(0, 5).join('; ')}`);
    }
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    const missing = TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) throw new DatabaseFileError(`${file} is not a token-desk database: it has no ${missing.join(', ')} table`);
    const steps = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (steps.length === 0) throw new DatabaseFileError(`${file} is not a token-desk database: schema_migrations records no step`);
    const newest = steps[steps.length - 1]!;
    if (newest > known) {
      throw new DatabaseFileError(`${file} was made by a newer version of the token desk (schema step ${newest}; this version knows up to ${known})`);
    }
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      bytes: statSync(file).size,
      schemaVersion: newest,
      doctors: count('doctors'),
      doctorDays: count('doctor_days'),
      tokens: count('tokens'),
      events: count('events'),
      lastEventSeq: (db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number) ?? 0,
      latestDate: (db.prepare('SELECT max(date) FROM doctor_days').pluck().get() as string | null) ?? null,
    };
  } finally {
    db.close();
  }
}

/**
 * Whether another connection (a running server, a backup being taken) has the database open. It
 * asks for the database's exclusive lock without waiting; when granted, closing this connection
 * folds a leftover write-ahead log into the file, so the file alone is then the whole database.
 */
export function databaseInUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('ROLLBACK').run();
    return false;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY') return true;
    // A file that is not a database (any more) is no server's: --force may replace it.
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return false;
    throw err;
  } finally {
    db.close();
  }
}

export interface BackupResult {
  summary: DatabaseSummary;
  ms: number;
}

/** Writes a consistent copy of `source` to `target` (a single file, no -wal), checked before it is named `target`. */
export async function backupDatabase(source: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const started = performance.now();
  if (!existsSync(source)) throw new DatabaseFileError(`there is no database at ${source}`);
  if (existsSync(target) && !options.force) throw new DatabaseFileError(`${target} already exists: choose another name, or add --force to replace it`);
  if (!existsSync(dirname(target))) throw new DatabaseFileError(`the folder ${dirname(target)} does not exist`);
  // Written under another name first: a backup cut short never passes for a whole one.
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  removeWithCompanions(partial);
  try {
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      await db.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      db.close();
    }
    // The copy carries the server's WAL mode; a backup is one self-contained file.
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const summary = inspectDatabase(partial);
    fsyncFile(partial);
    renameSync(partial, target);
    fsyncFile(dirname(target));
    return { summary, ms: performance.now() - started };
  } finally {
    removeWithCompanions(partial);
  }
}

export interface RestoreResult {
  summary: DatabaseSummary;
  /** Where the replaced database was moved, or null when there was none. */
  keptAs: string | null;
}

/**
 * Puts the backup `source` in place of the database `target`. Refuses when the backup is not a sound
 * token-desk database, when anything has `target` open, and when `target` exists without `force`.
 */
export function restoreDatabase(source: string, target: string, options: { force?: boolean; now?: Date } = {}): RestoreResult {
  if (!existsSync(source)) throw new DatabaseFileError(`there is no backup at ${source}`);
  if (existsSync(`${source}-wal`)) {
    throw new DatabaseFileError(`${source} has a write-ahead log beside it (${source}-wal): it is a database in use, not a backup; take one with opd backup`);
  }
  const summary = inspectDatabase(source);
  const present = [target, ...COMPANIONS.map((c) => target + c)].filter((f) => existsSync(f));
  if (existsSync(target) && databaseInUse(target)) {
    throw new DatabaseFileError(`${target} is in use by another process: stop the server (and any backup running) before restoring`);
  }
  if (present.length > 0 && !options.force) {
    throw new DatabaseFileError(`${target} already exists: add --force to replace it (it is kept beside it, renamed)`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const incoming = join(dirname(target), `.${basename(target)}.restoring-${process.pid}`);
  removeWithCompanions(incoming);
  try {
    copyFileSync(source, incoming);
    fsyncFile(incoming);
    let keptAs: string | null = null;
    if (present.length > 0) {
      keptAs = `${target}.replaced-${stamp(options.now ?? new Date())}`;
      // The companions move with the file and keep their suffix, so that SQLite still finds them
      // if the kept database is ever opened again.
      for (const suffix of ['', ...COMPANIONS]) if (existsSync(target + suffix)) renameSync(target + suffix, keptAs + suffix);
    }
    renameSync(incoming, target);
    fsyncFile(dirname(target));
    return { summary, keptAs };
  } finally {
    removeWithCompanions(incoming);
  }
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function removeWithCompanions(file: string): void {
  for (const suffix of ['', ...COMPANIONS]) rmSync(file + suffix, { force: true });
}

/** Flushes a file, or a folder's entries (a rename), to disk. */
function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
