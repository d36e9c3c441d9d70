// The PostgreSQL store, for several servers sharing one database. A transaction is one pooled
// connection in READ COMMITTED; a doctor-day is serialized by locking its doctor_days row
// (SELECT … FOR UPDATE), an idempotency key by a transaction-scoped advisory lock taken first.
// A transaction's statements travel in as few messages as possible: BEGIN, the locks, the doctor and
// the catch-up read in one; the writes and COMMIT in another. A booking costs two round trips.

import pg from 'pg';
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import { DuplicateKeyError, TransactionClosedError } from '../errors.ts';
import { checkAppend, lastById, tokenIdOf } from '../event-rows.ts';
import { pendingMigrations, SCHEMA_MIGRATIONS_SQL } from '../migrations.ts';
import type { DayKey, DayRecords, DoctorRecord, IdempotencyRecord, LockedDay, SlotRow, StoredEvent, Store, TokenRow, Transaction } from '../store.ts';
import { NO_STORE_OBSERVER, type StoreObserver } from '../store.ts';
import { toDoctor, toIdempotency, toSlot, toStoredEvent, toToken, type DoctorColumns, type EventColumns, type IdempotencyColumns, type SlotColumns, type TokenColumns } from '../table-rows.ts';
import { uniqueConstraint } from './postgres-errors.ts';
import type { AccessRepository } from '../access-repo.ts';
import { PostgresAccessRepository } from './access-repo.ts';

export interface PostgresStoreOptions {
  /** Tables live in this schema (created by migrate); default: the server's search_path. */
  schema?: string;
  /**
   * Pool size. Default 5: a change holds its connection for two round trips, so a few connections
   * keep up with many requests, and more backends than the database has cores to run them only
   * compete for them (two servers on a 2-core machine: lower p99 with 5 each than with 10).
   */
  max?: number;
  /** How long to wait for a free pooled connection before failing. Default 10 s. */
  connectionTimeoutMs?: number;
  /** Told how long each transaction took, and each doctor-day lock (with its read). */
  metrics?: StoreObserver;
}

// The two-key form of advisory locks keeps our lock spaces apart from each other and from any
// other application's single-key locks on the same database.
const MIGRATION_LOCK = 0x0d7001;
const IDEMPOTENCY_LOCK = 0x0d7002;
const INT8_OID = 20;

export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  return new PostgresStore(url, options);
}

type Queryable = Pick<pg.PoolClient, 'query'>;

interface Named {
  name: string;
  text: string;
}

/** A statement prepared once per connection under `name`. */
function statement(name: string, text: string): Named {
  return { name: `opd_${name}`, text };
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | null;
  /** Connections whose transaction statements are prepared (see PREPARES). */
  private readonly prepared = new WeakSet<pg.PoolClient>();
  readonly access: AccessRepository;
  private readonly observer: StoreObserver;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const schema = options.schema ?? null;
    if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.schema = schema;
    this.observer = options.metrics ?? NO_STORE_OBSERVER;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 5,
      // A work that awaits a store-level read needs a second connection while it holds one; with
      // every connection held that way the pool would wait forever. Fail instead, loudly.
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      // Set at connection start-up, so every pooled connection has it before its first query.
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      // Epoch ms and seqs are BIGINT; they fit a JS number, and callers expect numbers, not strings.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection that dies (server restart) must not crash the process; the pool replaces it.
    this.pool.on('error', () => {});
    this.access = new PostgresAccessRepository(this.pool);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // A session lock, held across the whole transaction and released only after COMMIT, so a
      // second server waits here and then finds every step recorded.
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, this.schema ?? '']);
      try {
        await client.query('BEGIN');
        if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(this.schema)}`);
        await client.query(SCHEMA_MIGRATIONS_SQL);
        const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        for (const m of pendingMigrations(applied.rows.map((r) => r.version))) {
          await client.query(m.postgres);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            new Date().toISOString(),
          ]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, this.schema ?? '']).catch((e: Error) => {
          broken = e;
        });
      }
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>, idempotencyKey?: string): Promise<T> {
    const client = await this.pool.connect();
    let tx: PostgresTransaction | null = null;
    let broken: Error | undefined;
    try {
      await this.prepare(client);
    } catch (error) {
      // Some statements may be prepared and others not: the pool must drop this connection.
      client.release(error as Error);
      throw error;
    }
    const started = performance.now();
    try {
      // BEGIN (and the idempotency key's lock) travel with the transaction's first statements, and
      // its writes with COMMIT: a booking is two round trips.
      const begin = ['BEGIN'];
      if (idempotencyKey !== undefined) begin.push(`SELECT pg_advisory_xact_lock(${IDEMPOTENCY_LOCK}, hashtext(${literal(idempotencyKey)}))`);
      tx = new PostgresTransaction(client, begin, this.observer);
      const value = await work(tx);
      tx.finish();
      await tx.commit();
      return value;
    } catch (error) {
      tx?.end();
      if (tx === null || tx.begun || tx.beginning) {
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e; // the connection is unusable: the pool must drop it, not hand it out again
        });
      }
      throw error;
    } finally {
      client.release(broken);
      this.observer.transaction((performance.now() - started) / 1000);
    }
  }

  /** The statements of transactions, prepared once per connection (outside any transaction). */
  private async prepare(client: pg.PoolClient): Promise<void> {
    if (this.prepared.has(client)) return;
    await client.query(PREPARES);
    this.prepared.add(client);
  }

  async getDoctor(id: string): Promise<DoctorRecord | null> {
    const { rows } = await this.pool.query<DoctorColumns>({ ...statement('doctor', 'SELECT * FROM doctors WHERE id = $1'), values: [id] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async getDoctorByCode(code: string): Promise<DoctorRecord | null> {
    const { rows } = await this.pool.query<DoctorColumns>({ ...statement('doctor_by_code', 'SELECT * FROM doctors WHERE code = $1'), values: [code] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async listDoctors(): Promise<DoctorRecord[]> {
    const { rows } = await this.pool.query<DoctorColumns>('SELECT * FROM doctors ORDER BY created_at, id');
    return rows.map(toDoctor);
  }

  async getSlot(id: string): Promise<SlotRow | null> {
    const { rows } = await this.pool.query<SlotColumns>({ ...statement('slot', 'SELECT * FROM slots WHERE id = $1'), values: [id] });
    return rows[0] ? toSlot(rows[0]) : null;
  }

  async getToken(id: string): Promise<TokenRow | null> {
    const { rows } = await this.pool.query<TokenColumns>({ ...statement('token', 'SELECT * FROM tokens WHERE id = $1'), values: [id] });
    return rows[0] ? toToken(rows[0]) : null;
  }

  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return readDayEvents(this.pool, key, fromVersion);
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventColumns>({
      ...statement('events_after', 'SELECT seq, doctor_id, date, payload FROM events WHERE seq > $1 ORDER BY seq LIMIT $2'),
      values: [seq, limit],
    });
    return rows.map(toStoredEvent);
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>({
      ...statement('latest_seq', 'SELECT coalesce(max(seq), 0) AS seq FROM events'),
      values: [],
    });
    return Number(rows[0]!.seq);
  }

  async tokenEvents(tokenId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventColumns>({
      ...statement('token_events', 'SELECT seq, doctor_id, date, payload FROM events WHERE token_id = $1 ORDER BY seq'),
      values: [tokenId],
    });
    return rows.map(toStoredEvent);
  }

  async daysWithSlotsEndingAfter(time: number): Promise<DayKey[]> {
    const { rows } = await this.pool.query<{ doctor_id: string; date: string }>({
      ...statement('days_open', 'SELECT DISTINCT doctor_id, date FROM slots WHERE "end" > $1 ORDER BY doctor_id, date'),
      values: [time],
    });
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async listDays(date?: string): Promise<DayKey[]> {
    const { rows } =
      date === undefined
        ? await this.pool.query<{ doctor_id: string; date: string }>('SELECT doctor_id, date FROM doctor_days ORDER BY date, doctor_id')
        : await this.pool.query<{ doctor_id: string; date: string }>('SELECT doctor_id, date FROM doctor_days WHERE date = $1 ORDER BY doctor_id', [date]);
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async readDayRecords(key: DayKey): Promise<DayRecords> {
    // REPEATABLE READ: the four reads see one snapshot, whatever the servers commit meanwhile.
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const values = [key.doctorId, key.date];
        const version = await client.query<{ version: number }>('SELECT version FROM doctor_days WHERE doctor_id = $1 AND date = $2', values);
        const events = await client.query<{ payload: DoctorDayEvent }>('SELECT payload FROM events WHERE doctor_id = $1 AND date = $2 ORDER BY position', values);
        const slots = await client.query<SlotColumns>('SELECT * FROM slots WHERE doctor_id = $1 AND date = $2 ORDER BY id', values);
        const tokens = await client.query<TokenColumns>('SELECT * FROM tokens WHERE doctor_id = $1 AND date = $2 ORDER BY id', values);
        await client.query('COMMIT');
        return {
          version: version.rows[0]?.version ?? 0,
          events: events.rows.map((r) => r.payload),
          slots: slots.rows.map(toSlot),
          tokens: tokens.rows.map(toToken),
        };
      } catch (error) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }
}

// ------------------------------------------------------------------ statements of a transaction
//
// A transaction talks to PostgreSQL in simple-protocol messages, each of which may carry several
// statements: one round trip for BEGIN, the locks, the doctor and the catch-up read; one for the
// writes and COMMIT. Values are written into the text as literals (literal(), integer(), the array
// helpers: nothing else ever goes into it), and the statements are prepared once per connection
// with PREPARE and run with EXECUTE, so PostgreSQL plans them once, as it does named statements.

/** PREPAREd on a connection before its first transaction, in this order. */
const PREPARES = [
  'PREPARE opd_tx_lock_day (text, text) AS SELECT version FROM doctor_days WHERE doctor_id = $1 AND date = $2 FOR UPDATE',
  'PREPARE opd_tx_doctor (text) AS SELECT * FROM doctors WHERE id = $1',
  'PREPARE opd_tx_day_events (text, text, integer) AS SELECT payload FROM events WHERE doctor_id = $1 AND date = $2 AND position >= $3 ORDER BY position',
  // What a writer reads right after the day's lock, in one statement (one result, one row): the
  // doctor, and the day's events from a position as one JSON array (null when there are none).
  `PREPARE opd_tx_day_state (text, text, integer) AS
   SELECT (SELECT row_to_json(d) FROM doctors d WHERE d.id = $1) AS doctor,
          (SELECT json_agg(e.payload ORDER BY e.position) FROM events e WHERE e.doctor_id = $1 AND e.date = $2 AND e.position >= $3) AS events`,
  'PREPARE opd_tx_idempotency (text) AS SELECT * FROM idempotency WHERE key = $1',
  'PREPARE opd_tx_put_idempotency (text, text, text, text) AS INSERT INTO idempotency (key, request_hash, response, created_at) VALUES ($1, $2, $3, $4)',
  // Data-modifying CTEs all run to completion against one snapshot; the foreign keys of the new
  // events and rows are checked at the end of the statement, when the doctor_days row exists. A slot
  // or token id that belongs to another doctor-day sets doctor_id to NULL, which fails the statement
  // (not null): the check must fail inside PostgreSQL, because the statement may travel with COMMIT.
  `PREPARE opd_tx_append (text, text, integer, text[], text[], bigint[], json, json, json) AS
   WITH day AS (
     INSERT INTO doctor_days AS d (doctor_id, date, version) VALUES ($1, $2, $3)
     ON CONFLICT (doctor_id, date) DO UPDATE SET version = d.version + excluded.version
     RETURNING version
   ), ev AS (
     INSERT INTO events (doctor_id, date, position, type, token_id, at, payload)
     SELECT $1, $2, (day.version - $3 + u.o - 1)::integer, u.type, u.token_id, u.at, p.payload
     FROM day, unnest($4, $5, $6) WITH ORDINALITY AS u (type, token_id, at, o)
     JOIN json_array_elements($7) WITH ORDINALITY AS p (payload, o) USING (o)
     ORDER BY u.o
     RETURNING seq, position
   ), slot AS (
     INSERT INTO slots AS s (id, doctor_id, date, start, "end", capacity, occupied)
     SELECT u.id, $1, $2, u.start, u."end", u.capacity, u.occupied
     FROM json_to_recordset($8) AS u (id text, start bigint, "end" bigint, capacity integer, occupied integer)
     ON CONFLICT (id) DO UPDATE SET doctor_id = CASE WHEN s.doctor_id = excluded.doctor_id AND s.date = excluded.date THEN s.doctor_id END,
       start = excluded.start, "end" = excluded."end", capacity = excluded.capacity, occupied = excluded.occupied
     RETURNING 1
   ), token AS (
     INSERT INTO tokens AS t (id, doctor_id, date, number, slot_id, source, status, patient, issued_at, bumps, skips)
     SELECT u.id, $1, $2, u.number, u."slotId", u.source, u.status, u.patient, u."issuedAt", u.bumps, u.skips
     FROM json_to_recordset($9) AS u (id text, number text, "slotId" text, source text, status text, patient json, "issuedAt" bigint,
       bumps integer, skips integer)
     ON CONFLICT (id) DO UPDATE SET doctor_id = CASE WHEN t.doctor_id = excluded.doctor_id AND t.date = excluded.date THEN t.doctor_id END,
       number = excluded.number, slot_id = excluded.slot_id, source = excluded.source, status = excluded.status,
       patient = excluded.patient, issued_at = excluded.issued_at, bumps = excluded.bumps, skips = excluded.skips
     RETURNING 1
   )
   SELECT (SELECT json_agg(seq ORDER BY position) FROM ev) AS seqs,
          (SELECT count(*) FROM slot)::integer AS slots,
          (SELECT count(*) FROM token)::integer AS tokens`,
].join(';\n');

/** A string as an SQL string constant (pg's own escaping: quotes doubled, E'…' when there are backslashes). */
function literal(value: string): string {
  // The message is a C string on the server: a NUL would cut it short. Text columns cannot hold one anyway.
  if (value.includes('\0')) throw new Error('PostgreSQL text cannot hold a NUL character');
  return pg.escapeLiteral(value);
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/** An SQL array literal of text (NULL for null), as a string constant. */
function textArray(values: readonly (string | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    text += (i > 0 ? ',' : '') + (v === null || v === undefined ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`);
  }
  return literal(`${text}}`);
}

function integerArray(values: readonly number[]): string {
  return `'{${values.map(integer).join(',')}}'`;
}

/** A position past any doctor-day's last event (position is an integer column). */
const NO_EVENTS = 2 ** 31 - 1;

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

function appendWrite(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[]): Write {
  checkAppend(key, slotRows, tokenRows);
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

/** One work's connection. As in PostgreSQL itself, a failed call spoils the rest of the transaction. */
class PostgresTransaction implements Transaction {
  private ended = false;
  private failure: { error: unknown } | null = null;
  /** Writes waiting to be sent with the next message (normally the one that carries COMMIT). */
  private writes: Write[] = [];
  /** The doctor of the day locked last, read right after its lock. */
  private lockedDoctor: { id: string; record: DoctorRecord | null } | undefined;
  /** Whether BEGIN has been sent (and answered), or is on its way. */
  begun = false;
  beginning = false;

  constructor(
    private readonly client: pg.PoolClient,
    /** BEGIN, and any lock taken with it, sent before the first statement. */
    private readonly begin: readonly string[],
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
    const results = this.writes.length > 0 ? await this.flush(['COMMIT']) : [await this.client.query('COMMIT')];
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

  append(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[]): Promise<number[]> {
    return this.run(async () => {
      this.writes.push(appendWrite(key, events, slotRows, tokenRows));
      const results = await this.flush();
      return (results[0]!.rows as AppendResult[])[0]!.seqs ?? [];
    });
  }

  appendAtCommit(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[]): void {
    this.later(() => appendWrite(key, events, slotRows, tokenRows));
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
      const values = [d.id, d.name, d.department, d.code, JSON.stringify(d.policy), d.createdAt].map(literal);
      try {
        await this.send([`INSERT INTO doctors (id, name, department, code, policy, created_at) VALUES (${values.join(', ')})`]);
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
}

const DAY_EVENTS = statement(
  'day_events',
  'SELECT payload FROM events WHERE doctor_id = $1 AND date = $2 AND position >= $3 ORDER BY position',
);

async function readDayEvents(q: Queryable, key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
  const { rows } = await q.query<{ payload: DoctorDayEvent }>({ ...DAY_EVENTS, values: [key.doctorId, key.date, fromVersion] });
  return rows.map((r) => r.payload);
}
