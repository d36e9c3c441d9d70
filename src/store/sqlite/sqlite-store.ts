// The embedded store: one SQLite file in WAL mode. Writes go through one connection and a queue
// (write-queue.ts) that runs one work at a time, in BEGIN IMMEDIATE transactions so another process
// on the same file waits too. Reads outside transactions use a second connection, so they see
// committed data only and never wait for a write. `:memory:` is the same arrangement on a file in a
// fresh temporary directory (removed on close) without fsync: a true in-memory database cannot be
// shared by two connections, and one connection would let readers see a transaction's uncommitted
// writes (or deadlock a work that reads through the store).

import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DoctorDayEvent } from '../../engine/index.ts';
import { pendingMigrations, SCHEMA_MIGRATIONS_SQL } from '../migrations.ts';
import type { ActorEvent, DayKey, DayRecords, DoctorRecord, SlotRow, StoredEvent, Store, TokenRow, Transaction } from '../store.ts';
import type { StoreObserver } from '../store.ts';
import { toActorEvent, toDoctor, type ActorEventColumns, toSlot, toStoredEvent, toToken, type DoctorColumns, type EventColumns, type SlotColumns, type TokenColumns } from '../table-rows.ts';
import { WriteQueue } from './write-queue.ts';
import { doctorOrNull, readDayEvents, SqliteTransaction, Statements } from './sqlite-transaction.ts';
import { DoctorCache } from './doctor-cache.ts';
import type { AccessRepository } from '../access-repo.ts';
import { SqliteAccessRepository } from './access-repo.ts';
import { SqliteSettingsRepository } from './settings-repo.ts';
import type { SettingsRepository } from '../settings-repo.ts';
import { SqliteSummaryRepository } from './summary-repo.ts';
import type { SummaryRepository } from '../summary-repo.ts';
import type { PersonalRepository } from '../personal-repo.ts';
import { SqlitePersonalRepository } from './personal-repo.ts';

export interface SqliteStoreOptions {
  /** Most transactions committed together (one fsync); 1 turns group commit off. Default 64. */
  maxGroup?: number;
  /** How long to wait for another process's write lock. Default 5 s. */
  busyTimeoutMs?: number;
  /** Told of every group committed (its size, and how long COMMIT with its fsync took). */
  metrics?: StoreObserver;
}

export function openSqliteStore(file: string | ':memory:', options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}


export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly w: Statements;
  private readonly r: Statements;
  private readonly queue: WriteQueue;
  private readonly doctors: DoctorCache;
  private readonly tempDir: string | null;
  private closed = false;
  readonly access: AccessRepository;
  readonly settings: SettingsRepository;
  readonly summaries: SummaryRepository;
  readonly personal: PersonalRepository;

  constructor(file: string | ':memory:', options: SqliteStoreOptions = {}) {
    const inMemory = file === ':memory:';
    this.tempDir = inMemory ? mkdtempSync(join(tmpdir(), 'opd-memory-')) : null;
    const path = this.tempDir ? join(this.tempDir, 'opd.sqlite') : file;
    mkdirSync(dirname(path), { recursive: true });
    const busy = options.busyTimeoutMs ?? 5000;
    this.writer = new Database(path);
    this.writer.pragma('journal_mode = WAL');
    // FULL: a commit returns only once its WAL frames are fsynced (NORMAL could lose the last
    // commits on power loss). Nothing outlives the process in memory mode, so fsync buys nothing.
    this.writer.pragma(`synchronous = ${inMemory ? 'OFF' : 'FULL'}`);
    this.writer.pragma(`busy_timeout = ${busy}`);
    this.writer.pragma('foreign_keys = ON');
    this.reader = new Database(path);
    this.reader.pragma(`busy_timeout = ${busy}`);
    this.reader.pragma('query_only = ON');
    // 4 MB of page cache per connection, not better-sqlite3's 16 MB: at 100,000 bookings the two full
    // caches held about 50 MB of the process's memory (bench/RESULTS.md, flat) for no CPU measured.
    for (const db of [this.writer, this.reader]) db.pragma('cache_size = -4000');
    this.w = new Statements(this.writer);
    this.r = new Statements(this.reader);
    const dataVersion = this.writer.prepare('PRAGMA data_version').pluck();
    this.doctors = new DoctorCache(() => dataVersion.get() as number);
    this.queue = new WriteQueue(this.writer, options.maxGroup ?? 64, options.metrics, () => this.doctors.begin());
    this.access = new SqliteAccessRepository(this.writer, this.reader, (work) => this.transaction(async () => work()));
    this.settings = new SqliteSettingsRepository(this.writer, this.reader, (work) => this.transaction(async () => work()));
    this.summaries = new SqliteSummaryRepository(this.writer, this.reader, (work) => this.transaction(async () => work()));
    this.personal = new SqlitePersonalRepository(this.writer, this.reader, (work) => this.transaction(async () => work()));
  }

  /** SQLite transactions committed so far (fewer than transactions run when they were grouped). */
  get commits(): number {
    return this.queue.commits;
  }

  async migrate(): Promise<void> {
    await this.transaction(async () => {
      this.writer.exec(SCHEMA_MIGRATIONS_SQL);
      const applied = this.w.get('SELECT version FROM schema_migrations').pluck().all() as number[];
      for (const m of pendingMigrations(applied)) {
        this.writer.exec(m.sqlite);
        if (m.data) {
          const db = this.writer;
          await m.data({
            dialect: 'sqlite',
            all: (sql, params = []) => Promise.resolve(db.prepare(sql).all(...params) as Record<string, unknown>[]),
            run: (sql, params = []) => {
              // A statement that returns nothing (DDL included) is run, not read.
              db.prepare(sql).run(...params);
              return Promise.resolve();
            },
          });
        }
        this.w
          .get('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, new Date().toISOString());
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    this.reader.close();
    this.writer.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** `idempotencyKey` needs no lock of its own: every transaction of this store is serialized. */
  transaction<T>(work: (tx: Transaction) => Promise<T>, _idempotencyKey?: string): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.queue.push(async () => {
      const tx = new SqliteTransaction(this.w, this.doctors);
      try {
        const value = await work(tx);
        tx.finish();
        return value;
      } finally {
        tx.end();
      }
    });
  }

  async getDoctor(id: string): Promise<DoctorRecord | null> {
    return doctorOrNull(this.r.get('SELECT * FROM doctors WHERE id = ?').get(id));
  }

  async getDoctorByCode(code: string): Promise<DoctorRecord | null> {
    return doctorOrNull(this.r.get('SELECT * FROM doctors WHERE code = ?').get(code));
  }

  async listDoctors(): Promise<DoctorRecord[]> {
    return this.r.get('SELECT * FROM doctors ORDER BY created_at, id').all().map((row) => toDoctor(row as DoctorColumns));
  }

  async getSlot(id: string): Promise<SlotRow | null> {
    const row = this.r.get('SELECT * FROM slots WHERE id = ?').get(id) as SlotColumns | undefined;
    return row ? toSlot(row) : null;
  }

  async getToken(id: string): Promise<TokenRow | null> {
    const row = this.r.get('SELECT * FROM tokens WHERE id = ?').get(id) as TokenColumns | undefined;
    return row ? toToken(row) : null;
  }

  async dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return readDayEvents(this.r, key, fromVersion);
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const rows = this.r.get('SELECT seq, doctor_id, date, payload, actor FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit);
    return (rows as EventColumns[]).map(toStoredEvent);
  }

  async latestSeq(): Promise<number> {
    const row = this.r.get('SELECT coalesce(max(seq), 0) AS seq FROM events').get() as { seq: number };
    return Number(row.seq);
  }

  async tokenEvents(tokenId: string): Promise<StoredEvent[]> {
    const rows = this.r.get('SELECT seq, doctor_id, date, payload, actor FROM events WHERE token_id = ? ORDER BY seq').all(tokenId);
    return (rows as EventColumns[]).map(toStoredEvent);
  }

  async actorEvents(actorId: string, from: number, to: number): Promise<ActorEvent[]> {
    const rows = this.r
      .get(
        `SELECT e.seq, e.doctor_id, e.date, e.payload, e.actor, t.number AS token_number FROM events e LEFT JOIN tokens t ON t.id = e.token_id
         WHERE e.actor_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.seq`,
      )
      .all(actorId, from, to);
    return (rows as ActorEventColumns[]).map(toActorEvent);
  }

  async daysWithSlotsEndingAfter(time: number): Promise<DayKey[]> {
    const rows = this.r
      .get('SELECT DISTINCT doctor_id, date FROM slots WHERE "end" > ? ORDER BY doctor_id, date')
      .all(time) as { doctor_id: string; date: string }[];
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async listDays(date?: string): Promise<DayKey[]> {
    const rows = (
      date === undefined
        ? this.r.get('SELECT doctor_id, date FROM doctor_days ORDER BY date, doctor_id').all()
        : this.r.get('SELECT doctor_id, date FROM doctor_days WHERE date = ? ORDER BY doctor_id').all(date)
    ) as { doctor_id: string; date: string }[];
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async readDayRecords(key: DayKey): Promise<DayRecords> {
    // One read transaction: in WAL mode it sees one commit point of the file, whatever another
    // process commits meanwhile.
    const read = this.reader.transaction((): DayRecords => {
      const version = this.r.get('SELECT version FROM doctor_days WHERE doctor_id = ? AND date = ?').pluck().get(key.doctorId, key.date) as number | undefined;
      const slots = this.r.get('SELECT * FROM slots WHERE doctor_id = ? AND date = ? ORDER BY id').all(key.doctorId, key.date) as SlotColumns[];
      const tokens = this.r.get('SELECT * FROM tokens WHERE doctor_id = ? AND date = ? ORDER BY id').all(key.doctorId, key.date) as TokenColumns[];
      return { version: version ?? 0, events: readDayEvents(this.r, key, 0), slots: slots.map(toSlot), tokens: tokens.map(toToken) };
    });
    return read();
  }
}
