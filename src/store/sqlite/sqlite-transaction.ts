// One work's view of the embedded store's write connection (see sqlite-store.ts): its statements,
// run at once (an embedded database has nothing to save by waiting for the commit), the connection's
// prepared statements, and the rows read back.

import Database from 'better-sqlite3';
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import { DuplicateKeyError, TransactionClosedError } from '../errors.ts';
import { actorColumn, checkAppend, lastById, tokenIdOf } from '../event-rows.ts';
import type { DayKey, DoctorRecord, EventActor, IdempotencyRecord, LockedDay, SlotRow, TokenRow, Transaction } from '../store.ts';
import { toDoctor, toIdempotency, type DoctorColumns, type IdempotencyColumns } from '../table-rows.ts';
import { DoctorCache } from './doctor-cache.ts';
import { SqliteRotaTransaction } from './rota-tx.ts';
import { erasureWhere, INSERT_ERASURE_SQL, INSERT_PERSONAL_SQL, personalArgs, type ErasureMatch, type ErasureRecord } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
import { insertWordsSql, nameWordStarts } from '../patient-words-written.ts';

/** Prepared statements of one connection, prepared on first use (after migrate made the tables). */
export class Statements {
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

/**
 * One work's view of the write connection. A call that fails spoils the transaction (as it does in
 * PostgreSQL): later calls are refused and the work is rolled back even if it caught the error, so
 * a swallowed failure can never commit half a change.
 */
export class SqliteTransaction implements Transaction {
  private ended = false;
  private failure: { error: unknown } | null = null;

  readonly rota: SqliteRotaTransaction;

  constructor(
    private readonly w: Statements,
    private readonly doctors: DoctorCache,
  ) {
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
      // The words first: the row's insert trigger (migration 14) then finds them and does nothing.
      const words = nameWordStarts(row.nameFolded);
      if (words.length > 0) this.w.get(insertWordsSql(words.length)).run(...words.flatMap((w) => [w, row.date, row.tokenId]));
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
    return this.run(() => this.doctors.read(id, (doctorId) => doctorOrNull(this.w.get('SELECT * FROM doctors WHERE id = ?').get(doctorId))));
  }

  insertDoctor(d: DoctorRecord): Promise<void> {
    return this.run(() => {
      this.doctors.forget();
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
      this.doctors.forget();
      const { changes } = this.w.get('UPDATE doctors SET policy = ? WHERE id = ?').run(JSON.stringify(policy), doctorId);
      if (changes === 0) throw new Error(`no doctor ${doctorId}`);
    });
  }

  updateDoctor(doctorId: string, fields: { name: string; room: string | null }): Promise<boolean> {
    return this.run(() => {
      this.doctors.forget();
      return this.w.get('UPDATE doctors SET name = ?, room = ? WHERE id = ?').run(fields.name, fields.room, doctorId).changes === 1;
    });
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

export function readDayEvents(s: Statements, key: DayKey, fromVersion: number): DoctorDayEvent[] {
  const payloads = s
    .get('SELECT payload FROM events WHERE doctor_id = ? AND date = ? AND position >= ? ORDER BY position')
    .pluck()
    .all(key.doctorId, key.date, fromVersion) as string[];
  return payloads.map((p) => JSON.parse(p) as DoctorDayEvent);
}

export function doctorOrNull(row: unknown): DoctorRecord | null {
  return row === undefined ? null : toDoctor(row as DoctorColumns);
}

/** The column (table.column) of a unique constraint that `error` reports, if that is what it is. */
function uniqueColumn(error: unknown): string | null {
  if (!(error instanceof Database.SqliteError)) return null;
  const match = /^UNIQUE constraint failed: (\w+\.\w+)$/.exec(error.message);
  return match ? match[1]! : null;
}
