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
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import { DuplicateKeyError, TransactionClosedError } from '../errors.ts';
import { actorColumn, checkAppend, lastById, tokenIdOf } from '../event-rows.ts';
import { pendingMigrations, SCHEMA_MIGRATIONS_SQL } from '../migrations.ts';
import type { ActorEvent, DayKey, DayRecords, DoctorRecord, EventActor, IdempotencyRecord, LockedDay, SlotRow, StoredEvent, Store, TokenRow, Transaction } from '../store.ts';
import type { StoreObserver } from '../store.ts';
import { toActorEvent, toDoctor, toIdempotency, type ActorEventColumns, toSlot, toStoredEvent, toToken, type DoctorColumns, type EventColumns, type IdempotencyColumns, type SlotColumns, type TokenColumns } from '../table-rows.ts';
import { WriteQueue } from './write-queue.ts';
import type { AccessRepository } from '../access-repo.ts';
import { SqliteAccessRepository } from './access-repo.ts';
import { SqliteRotaTransaction } from './rota-tx.ts';
import { SqliteSettingsRepository } from './settings-repo.ts';
import type { SettingsRepository } from '../settings-repo.ts';
import { SqliteSummaryRepository } from './summary-repo.ts';
import type { SummaryRepository } from '../summary-repo.ts';
import { erasureWhere, INSERT_ERASURE_SQL, INSERT_PERSONAL_SQL, personalArgs, type ErasureMatch, type ErasureRecord, type PersonalRepository } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
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

/** Prepared statements of one connection, prepared on first use (after migrate made the tables). */
class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}
  get(sql: string): Database.Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly w: Statements;
  private readonly r: Statements;
  private readonly queue: WriteQueue;
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
    this.queue = new WriteQueue(this.writer, options.maxGroup ?? 64, options.metrics);
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
      const tx = new SqliteTransaction(this.w);
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

/**
 * One work's view of the write connection. A call that fails spoils the transaction (as it does in
 * PostgreSQL): later calls are refused and the work is rolled back even if it caught the error, so
 * a swallowed failure can never commit half a change.
 */
class SqliteTransaction implements Transaction {
  private ended = false;
  private failure: { error: unknown } | null = null;

  readonly rota: SqliteRotaTransaction;

  constructor(private readonly w: Statements) {
    this.rota = new SqliteRotaTransaction((sql) => this.w.get(sql), (what) => this.run(what));
  }

  finish(): void {
    if (this.failure) throw this.failure.error;
  }

  end(): void {
    this.ended = true;
  }

  /** Why no call may be made now, if none may. */
  private closed(): TransactionClosedError | null {
    if (this.ended) return new TransactionClosedError('the transaction is over: its work already settled');
    if (this.failure) return new TransactionClosedError('an earlier call of this transaction failed');
    if (!this.w.db.inTransaction) return new TransactionClosedError('SQLite ended the transaction');
    return null;
  }

  private run<T>(what: () => T): Promise<T> {
    const closed = this.closed();
    if (closed) return Promise.reject(closed);
    try {
      return Promise.resolve(what());
    } catch (error) {
      this.failure = { error };
      return Promise.reject(error);
    }
  }

  lockDay(key: DayKey): Promise<number> {
    return this.run(() => this.lockedVersion(key));
  }

  /** BEGIN IMMEDIATE already holds the database's write lock; this only makes sure the row exists. */
  private lockedVersion(key: DayKey): number {
    const select = this.w.get('SELECT version FROM doctor_days WHERE doctor_id = ? AND date = ?').pluck();
    const version = select.get(key.doctorId, key.date) as number | undefined;
    if (version !== undefined) return version;
    this.w.get('INSERT INTO doctor_days (doctor_id, date) VALUES (?, ?)').run(key.doctorId, key.date);
    return 0;
  }

  lockDayAndRead(key: DayKey, fromVersion: number): Promise<LockedDay> {
    return this.run(() => {
      const version = this.lockedVersion(key);
      return { version, events: fromVersion < version ? readDayEvents(this.w, key, fromVersion) : [] };
    });
  }

  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return this.run(() => readDayEvents(this.w, key, fromVersion));
  }

  /** Nothing to save by waiting on an embedded database: written now; a failure fails the transaction at its end. */
  appendAtCommit(key: DayKey, events: DoctorDayEvent[], slots: SlotRow[], tokens: TokenRow[], actor: EventActor | null): void {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    // A failure (this one, or an earlier one) is kept: finish() throws it, the work is rolled back.
    this.append(key, events, slots, tokens, actor).catch(() => {});
  }

  erasePersonal(match: ErasureMatch, record: ErasureRecord): Promise<string[]> {
    return this.run(() => {
      const { where, args } = erasureWhere(match);
      const erased = this.w.get(`DELETE FROM patients WHERE ${where} RETURNING token_id`).pluck().all(...args) as string[];
      const who = actorColumn(record.actor);
      this.w.get(INSERT_ERASURE_SQL).run(record.at, who.id, who.json, record.matchedBy, record.tokenId, erased.length);
      return erased;
    });
  }

  putPersonalAtCommit(row: PersonalRow): void {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    this.run(() => {
      this.w.get(INSERT_PERSONAL_SQL).run(...personalArgs(row));
    }).catch(() => {});
  }

  putIdempotencyAtCommit(record: IdempotencyRecord): void {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    this.putIdempotency(record).catch(() => {});
  }

  append(key: DayKey, events: DoctorDayEvent[], slots: SlotRow[], tokens: TokenRow[], actor: EventActor | null = null): Promise<number[]> {
    return this.run(() => {
      checkAppend(key, slots, tokens);
      const who = actorColumn(actor);
      const version = this.w
        .get(
          `INSERT INTO doctor_days (doctor_id, date, version) VALUES (?, ?, ?)
           ON CONFLICT (doctor_id, date) DO UPDATE SET version = version + excluded.version RETURNING version`,
        )
        .pluck()
        .get(key.doctorId, key.date, events.length) as number;
      const insert = this.w.get(
        'INSERT INTO events (doctor_id, date, position, type, token_id, at, payload, actor_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      let position = version - events.length;
      const seqs = events.map(
        (e) =>
          Number(insert.run(key.doctorId, key.date, position++, e.type, tokenIdOf(e), e.at, JSON.stringify(e), who.id, who.json).lastInsertRowid),
      );
      const upsertSlot = this.w.get(
        `INSERT INTO slots (id, doctor_id, date, start, "end", capacity, occupied) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET start = excluded.start, "end" = excluded."end", capacity = excluded.capacity,
           occupied = excluded.occupied
         WHERE slots.doctor_id = excluded.doctor_id AND slots.date = excluded.date`,
      );
      for (const s of lastById(slots)) {
        const { changes } = upsertSlot.run(s.id, s.doctorId, s.date, s.start, s.end, s.capacity, s.occupied);
        if (changes === 0) throw new Error(`slot ${s.id} belongs to another doctor-day`);
      }
      const upsertToken = this.w.get(
        `INSERT INTO tokens (id, doctor_id, date, number, slot_id, source, status, issued_at, bumps, skips)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, slot_id = excluded.slot_id, source = excluded.source,
           status = excluded.status, issued_at = excluded.issued_at, bumps = excluded.bumps,
           skips = excluded.skips
         WHERE tokens.doctor_id = excluded.doctor_id AND tokens.date = excluded.date`,
      );
      for (const t of lastById(tokens)) {
        const { changes } = upsertToken.run(
          t.id,
          t.doctorId,
          t.date,
          t.number,
          t.slotId,
          t.source,
          t.status,
          t.issuedAt,
          t.bumps,
          t.skips,
        );
        if (changes === 0) throw new Error(`token ${t.id} belongs to another doctor-day`);
      }
      return seqs;
    });
  }

  getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return this.run(() => {
      const row = this.w.get('SELECT * FROM idempotency WHERE key = ?').get(key) as IdempotencyColumns | undefined;
      return row ? toIdempotency(row) : null;
    });
  }

  putIdempotency(record: IdempotencyRecord): Promise<void> {
    return this.run(() => {
      try {
        this.w
          .get('INSERT INTO idempotency (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)')
          .run(record.key, record.requestHash, record.response, record.createdAt);
      } catch (error) {
        if (uniqueColumn(error) === 'idempotency.key') throw new DuplicateKeyError('idempotency.key', record.key);
        throw error;
      }
    });
  }

  getDoctor(id: string): Promise<DoctorRecord | null> {
    return this.run(() => doctorOrNull(this.w.get('SELECT * FROM doctors WHERE id = ?').get(id)));
  }

  insertDoctor(d: DoctorRecord): Promise<void> {
    return this.run(() => {
      try {
        this.w
          .get('INSERT INTO doctors (id, name, department, room, code, policy, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(d.id, d.name, d.department, d.room, d.code, JSON.stringify(d.policy), d.createdAt);
      } catch (error) {
        const column = uniqueColumn(error);
        if (column === 'doctors.id') throw new DuplicateKeyError('doctor.id', d.id);
        if (column === 'doctors.code') throw new DuplicateKeyError('doctor.code', d.code);
        throw error;
      }
    });
  }

  setDoctorPolicy(doctorId: string, policy: Partial<Policy>): Promise<void> {
    return this.run(() => {
      const { changes } = this.w.get('UPDATE doctors SET policy = ? WHERE id = ?').run(JSON.stringify(policy), doctorId);
      if (changes === 0) throw new Error(`no doctor ${doctorId}`);
    });
  }

  updateDoctor(doctorId: string, fields: { name: string; room: string | null }): Promise<boolean> {
    return this.run(() => this.w.get('UPDATE doctors SET name = ?, room = ? WHERE id = ?').run(fields.name, fields.room, doctorId).changes === 1);
  }

  removeSlotRowsAtCommit(key: DayKey, slotIds: string[]): void {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    const remove = this.w.get('DELETE FROM slots WHERE doctor_id = ? AND date = ? AND id = ?');
    this.run(() => {
      for (const id of slotIds) remove.run(key.doctorId, key.date, id);
    }).catch(() => {});
  }
}

// ------------------------------------------------------------------ rows

function readDayEvents(s: Statements, key: DayKey, fromVersion: number): DoctorDayEvent[] {
  const payloads = s
    .get('SELECT payload FROM events WHERE doctor_id = ? AND date = ? AND position >= ? ORDER BY position')
    .pluck()
    .all(key.doctorId, key.date, fromVersion) as string[];
  return payloads.map((p) => JSON.parse(p) as DoctorDayEvent);
}

function doctorOrNull(row: unknown): DoctorRecord | null {
  return row === undefined ? null : toDoctor(row as DoctorColumns);
}

/** The column (table.column) of a unique constraint that `error` reports, if that is what it is. */
function uniqueColumn(error: unknown): string | null {
  if (!(error instanceof Database.SqliteError)) return null;
  const match = /^UNIQUE constraint failed: (\w+\.\w+)$/.exec(error.message);
  return match ? match[1]! : null;
}
