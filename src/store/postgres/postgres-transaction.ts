// One transaction of the PostgreSQL store on one pooled connection: statements batched into as few
// messages as possible, writes held back to travel with COMMIT.

import pg from 'pg';
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import { DuplicateKeyError, TransactionClosedError } from '../errors.ts';
import { actorColumn, checkAppend, lastById, tokenIdOf } from '../event-rows.ts';
import type { DayKey, DoctorRecord, EventActor, IdempotencyRecord, LockedDay, SlotRow, StoreObserver, TokenRow, Transaction } from '../store.ts';
import { toDoctor, toIdempotency, type DoctorColumns, type IdempotencyColumns } from '../table-rows.ts';
import { uniqueConstraint } from './postgres-errors.ts';
import { erasureWhere, INSERT_ERASURE_SQL, personalArgs, type ErasureMatch, type ErasureRecord } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
import { integer, integerArray, literal, NO_EVENTS, nullableLiteral, textArray } from './postgres-sql.ts';
import { PostgresRotaTransaction } from './rota-tx.ts';
import { nameWordStarts } from '../patient-words-written.ts';

/** A write the transaction sends later, with the next statement or with COMMIT. */
interface Write {
  sql: string;
  /** Throws if its result is not what it must be. */
  check(result: pg.QueryResult): void;
  /** The store's own error for a database error it explains, else null. */
  explain(error: unknown): Error | null;
}

interface AppendResult {
  seqs: number[] | null;
  slots: number;
  tokens: number;
}

function appendWrite(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[], actor: EventActor | null): Write {
  checkAppend(key, slotRows, tokenRows);
  const who = actorColumn(actor);
  const slots = lastById(slotRows);
  const tokens = lastById(tokenRows);
  // The payloads travel as one JSON array (each element's text is kept exactly, as json does), the
  // rows as JSON objects read by json_to_recordset: one escape of one string each, little garbage.
  const args = [
    literal(key.doctorId),
    literal(key.date),
    integer(events.length),
    textArray(events.map((e) => e.type)),
    textArray(events.map(tokenIdOf)),
    integerArray(events.map((e) => e.at)),
    literal(JSON.stringify(events)),
    literal(JSON.stringify(slots)), // json_to_recordset takes the keys it names (not doctorId, date)
    literal(JSON.stringify(tokens)),
    nullableLiteral(who.id),
    nullableLiteral(who.json),
  ];
  return {
    sql: `EXECUTE opd_tx_append(${args.join(', ')})`,
    check(result) {
      const row = result.rows[0] as AppendResult;
      if ((row.seqs?.length ?? 0) !== events.length) throw new Error(`the append wrote ${row.seqs?.length ?? 0} of ${events.length} events`);
      if (row.slots !== slots.length) throw new Error('a slot of the append belongs to another doctor-day');
      if (row.tokens !== tokens.length) throw new Error('a token of the append belongs to another doctor-day');
    },
    explain(error) {
      // The CASE of the upserts: an id of another doctor-day leaves doctor_id NULL.
      if (!(error instanceof pg.DatabaseError) || error.code !== '23502' || error.column !== 'doctor_id') return null;
      if (error.table === 'slots') return new Error('a slot of the append belongs to another doctor-day');
      if (error.table === 'tokens') return new Error('a token of the append belongs to another doctor-day');
      return null;
    },
  };
}

function idempotencyWrite(record: IdempotencyRecord): Write {
  const args = [record.key, record.requestHash, record.response, record.createdAt].map(literal);
  return {
    sql: `EXECUTE opd_tx_put_idempotency(${args.join(', ')})`,
    check() {},
    explain(error) {
      return uniqueConstraint(error) === 'idempotency_pkey' ? new DuplicateKeyError('idempotency.key', record.key) : null;
    },
  };
}

/** `?` placeholders replaced by SQL constants (NULL for null). */
function withLiterals(sql: string, args: readonly (string | null)[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const v = args[i++];
    return v === null || v === undefined ? 'NULL' : literal(v);
  });
}

/** One work's connection. As in PostgreSQL itself, a failed call spoils the rest of the transaction. */
export class PostgresTransaction implements Transaction {
  private ended = false;
  private failure: { error: unknown } | null = null;
  /** Writes waiting to be sent with the next message (normally the one that carries COMMIT). */
  private writes: Write[] = [];
  /** The doctor of the day locked last, read right after its lock. */
  private lockedDoctor: { id: string; record: DoctorRecord | null } | undefined;
  /** Whether BEGIN has been sent (and answered), or is on its way. */
  begun = false;
  beginning = false;

  /**
   * Set once the message carrying COMMIT is on its way: from then on a lost connection leaves the
   * outcome unknown (PostgreSQL may have committed before the answer was lost).
   */
  committing = false;
  /** Whether the transaction appends events: once committed, the live feeds of every server are woken. */
  appended = false;
  readonly rota = new PostgresRotaTransaction((statement) => this.run(async () => (await this.send([statement]))[0]!));

  constructor(
    private readonly client: pg.PoolClient,
    /** BEGIN, and any lock taken with it, sent before the first statement. */
    private readonly begin: readonly string[],
    /** Told how long each doctor-day lock took to be granted (with the read that travels with it). */
    private readonly observer: StoreObserver,
  ) {}

  /**
   * Sends `statements` as one message, after BEGIN if it has not been sent, and returns their results.
   * Under READ COMMITTED each statement of the message sees everything committed before it started.
   */
  private async send(statements: readonly string[]): Promise<pg.QueryResult[]> {
    const prefix = this.begun ? [] : this.begin;
    if (!this.begun) this.beginning = true;
    const out = (await this.client.query([...prefix, ...statements].join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
    this.begun = true;
    const results = Array.isArray(out) ? out : [out];
    if (results.length !== prefix.length + statements.length) throw new Error(`expected ${prefix.length + statements.length} results, got ${results.length}`);
    return results.slice(prefix.length);
  }

  /** Sends the waiting writes, then `after` in the same message; returns the results of both. */
  private async flush(after: readonly string[] = []): Promise<pg.QueryResult[]> {
    const writes = this.writes;
    this.writes = [];
    let results: pg.QueryResult[];
    try {
      results = await this.send([...writes.map((w) => w.sql), ...after]);
    } catch (error) {
      for (const w of writes) {
        const explained = w.explain(error);
        if (explained) throw explained;
      }
      throw error;
    }
    writes.forEach((w, i) => w.check(results[i]!));
    return results;
  }

  /** Called when the work returned: a failure it swallowed must still roll back. */
  finish(): void {
    this.ended = true;
    if (this.failure) throw this.failure.error;
  }

  /** After finish(): the waiting writes and COMMIT, in one message. */
  async commit(): Promise<void> {
    if (this.writes.length === 0 && !this.begun) return;
    this.committing = true;
    const results = await this.flush(['COMMIT']);
    // COMMIT of a transaction that failed answers ROLLBACK, not an error.
    const command = results[results.length - 1]!.command;
    if (command !== 'COMMIT') throw new Error(`PostgreSQL answered ${command} to COMMIT`);
  }

  end(): void {
    this.ended = true;
  }

  private closed(): TransactionClosedError | null {
    if (this.ended) return new TransactionClosedError('the transaction is over: its work already settled');
    if (this.failure) return new TransactionClosedError('an earlier call of this transaction failed');
    return null;
  }

  private async run<T>(what: () => Promise<T>): Promise<T> {
    const closed = this.closed();
    if (closed) throw closed;
    try {
      // Writes waiting for the commit go first: a later call sees them, as it would in SQLite.
      if (this.writes.length > 0) await this.flush();
      return await what();
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }

  /**
   * Queues a write for the commit; a write that cannot even be written down fails the transaction.
   * After a failure nothing more is queued: the transaction rolls back with that failure.
   */
  private later(make: () => Write): void {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    if (this.failure) return;
    try {
      this.writes.push(make());
    } catch (error) {
      this.failure = { error };
    }
  }

  lockDay(key: DayKey): Promise<number> {
    return this.run(async () => (await this.lock(key, null)).version);
  }

  lockDayAndRead(key: DayKey, fromVersion: number): Promise<LockedDay> {
    return this.run(() => this.lock(key, fromVersion));
  }

  /**
   * One message: (BEGIN,) the day's lock, then the doctor and, if asked, the day's events. They are
   * read by the statement after the lock: under READ COMMITTED it sees every change committed before
   * the lock was granted (the desk reads the policy there, and catches up). In the lock's own
   * statement they could be older: its snapshot is taken before it waits for the lock.
   */
  private async lock(key: DayKey, fromVersion: number | null): Promise<LockedDay> {
    const doctorId = literal(key.doctorId);
    const date = literal(key.date);
    const statements = [
      `EXECUTE opd_tx_lock_day(${doctorId}, ${date})`,
      `EXECUTE opd_tx_day_state(${doctorId}, ${date}, ${integer(fromVersion ?? NO_EVENTS)})`,
    ];
    const asked = performance.now();
    let results = await this.send(statements);
    if (results[0]!.rows.length === 0) {
      // A new doctor-day: create its row (this waits for another transaction creating it), then lock it.
      results = (await this.send([`INSERT INTO doctor_days (doctor_id, date) VALUES (${doctorId}, ${date}) ON CONFLICT DO NOTHING`, ...statements])).slice(1);
    }
    this.observer.lockWait((performance.now() - asked) / 1000);
    const version = (results[0]!.rows as { version: number }[])[0]!.version;
    const state = (results[1]!.rows as { doctor: DoctorColumns | null; events: DoctorDayEvent[] | null }[])[0]!;
    this.lockedDoctor = { id: key.doctorId, record: state.doctor ? toDoctor(state.doctor) : null };
    if (fromVersion === null) return { version, events: [] };
    const events = state.events ?? [];
    if (events.length !== Math.max(0, version - fromVersion)) {
      throw new Error(`doctor-day ${key.doctorId}/${key.date} is at version ${version}, but ${events.length} events were read from ${fromVersion}`);
    }
    return { version, events };
  }

  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return this.run(async () => {
      const [result] = await this.send([`EXECUTE opd_tx_day_events(${literal(key.doctorId)}, ${literal(key.date)}, ${integer(fromVersion)})`]);
      return (result!.rows as { payload: DoctorDayEvent }[]).map((r) => r.payload);
    });
  }

  append(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[], actor: EventActor | null = null): Promise<number[]> {
    return this.run(async () => {
      this.writes.push(appendWrite(key, events, slotRows, tokenRows, actor));
      this.appended = true;
      const results = await this.flush();
      return (results[0]!.rows as AppendResult[])[0]!.seqs ?? [];
    });
  }

  appendAtCommit(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[], actor: EventActor | null): void {
    this.later(() => appendWrite(key, events, slotRows, tokenRows, actor));
    this.appended = true;
  }

  getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return this.run(async () => {
      const [result] = await this.send([`EXECUTE opd_tx_idempotency(${literal(key)})`]);
      const r = (result!.rows as IdempotencyColumns[])[0];
      return r ? toIdempotency(r) : null;
    });
  }

  putIdempotency(record: IdempotencyRecord): Promise<void> {
    return this.run(async () => {
      this.writes.push(idempotencyWrite(record));
      await this.flush();
    });
  }

  erasePersonal(match: ErasureMatch, record: ErasureRecord): Promise<string[]> {
    return this.run(async () => {
      const { where, args } = erasureWhere(match);
      const who = actorColumn(record.actor);
      const erase = withLiterals(`DELETE FROM patients WHERE ${where} RETURNING token_id`, args);
      // The record counts what the DELETE of the same message erased.
      const audit = withLiterals(INSERT_ERASURE_SQL.replace(/, \?\)$/, ', (SELECT count(*) FROM erased))'), [String(record.at), who.id, who.json, record.matchedBy, record.tokenId]);
      const [result] = await this.send([`WITH erased AS (${erase}) ${audit} RETURNING (SELECT coalesce(json_agg(token_id), '[]') FROM erased) AS ids`]);
      return (result!.rows[0] as { ids: string[] }).ids;
    });
  }

  putPersonalAtCommit(row: PersonalRow): void {
    this.later(() => {
      const values = [...personalArgs(row).map(nullableLiteral), textArray(nameWordStarts(row.nameFolded))];
      return {
        sql: `EXECUTE opd_tx_put_patient(${values.join(', ')})`,
        check() {},
        explain() {
          return null;
        },
      };
    });
  }

  putIdempotencyAtCommit(record: IdempotencyRecord): void {
    this.later(() => idempotencyWrite(record));
  }

  getDoctor(id: string): Promise<DoctorRecord | null> {
    if (this.lockedDoctor?.id === id && !this.closed()) return Promise.resolve(this.lockedDoctor.record);
    return this.run(async () => {
      const [result] = await this.send([`EXECUTE opd_tx_doctor(${literal(id)})`]);
      const row = (result!.rows as DoctorColumns[])[0];
      return row ? toDoctor(row) : null;
    });
  }

  insertDoctor(d: DoctorRecord): Promise<void> {
    this.lockedDoctor = undefined;
    return this.run(async () => {
      const values = [literal(d.id), literal(d.name), literal(d.department), nullableLiteral(d.room), literal(d.code), literal(JSON.stringify(d.policy)), literal(d.createdAt)];
      try {
        await this.send([`INSERT INTO doctors (id, name, department, room, code, policy, created_at) VALUES (${values.join(', ')})`]);
      } catch (error) {
        const constraint = uniqueConstraint(error);
        if (constraint === 'doctors_pkey') throw new DuplicateKeyError('doctor.id', d.id);
        if (constraint === 'doctors_code_key') throw new DuplicateKeyError('doctor.code', d.code);
        throw error;
      }
    });
  }

  setDoctorPolicy(doctorId: string, policy: Partial<Policy>): Promise<void> {
    this.lockedDoctor = undefined;
    return this.run(async () => {
      const [result] = await this.send([`UPDATE doctors SET policy = ${literal(JSON.stringify(policy))} WHERE id = ${literal(doctorId)}`]);
      if (result!.rowCount === 0) throw new Error(`no doctor ${doctorId}`);
    });
  }

  updateDoctor(doctorId: string, fields: { name: string; room: string | null }): Promise<boolean> {
    this.lockedDoctor = undefined;
    return this.run(async () => {
      const [result] = await this.send([`UPDATE doctors SET name = ${literal(fields.name)}, room = ${nullableLiteral(fields.room)} WHERE id = ${literal(doctorId)}`]);
      return result!.rowCount === 1;
    });
  }

  removeSlotRowsAtCommit(key: DayKey, slotIds: string[]): void {
    if (slotIds.length === 0) return;
    this.later(() => ({
      sql: `DELETE FROM slots WHERE doctor_id = ${literal(key.doctorId)} AND date = ${literal(key.date)} AND id = ANY (${textArray(slotIds)}::text[])`,
      check() {},
      explain: () => null,
    }));
  }
}
