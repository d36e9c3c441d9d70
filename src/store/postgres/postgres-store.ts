// The PostgreSQL store, for several servers sharing one database. A transaction is one pooled
// connection in READ COMMITTED; a doctor-day is serialized by locking its doctor_days row
// (SELECT … FOR UPDATE), an idempotency key by a transaction-scoped advisory lock taken first.
// Statements are named (prepared once per connection) and `append` writes the version, the events
// and both projections in one statement: a booking costs a handful of round trips, not dozens.

import pg from 'pg';
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import { DuplicateKeyError, TransactionClosedError } from '../errors.ts';
import { checkAppend, lastById, tokenIdOf } from '../event-rows.ts';
import { pendingMigrations, SCHEMA_MIGRATIONS_SQL } from '../migrations.ts';
import type { DayKey, DoctorRecord, IdempotencyRecord, SlotRow, StoredEvent, Store, TokenRow, Transaction } from '../store.ts';
import {
  toDoctor,
  toSlot,
  toStoredEvent,
  toToken,
  uniqueConstraint,
  type DoctorPgRow,
  type EventPgRow,
  type IdempotencyPgRow,
  type SlotPgRow,
  type TokenPgRow,
} from './postgres-rows.ts';

export interface PostgresStoreOptions {
  /** Tables live in this schema (created by migrate); default: the server's search_path. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  /** How long to wait for a free pooled connection before failing. Default 10 s. */
  connectionTimeoutMs?: number;
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

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const schema = options.schema ?? null;
    if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
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
      // BEGIN (and the idempotency key's lock) travel with the transaction's first statement: one
      // round trip less per request, which is most of what a booking costs on a busy machine.
      let begin = 'BEGIN';
      if (idempotencyKey !== undefined) {
        begin += `; SELECT pg_advisory_xact_lock(${IDEMPOTENCY_LOCK}, hashtext(${client.escapeLiteral(idempotencyKey)}))`;
      }
      tx = new PostgresTransaction(client, begin);
      const value = await work(tx);
      tx.finish();
      if (tx.begun) await client.query('COMMIT');
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
    }
  }

  async getDoctor(id: string): Promise<DoctorRecord | null> {
    const { rows } = await this.pool.query<DoctorPgRow>({ ...statement('doctor', 'SELECT * FROM doctors WHERE id = $1'), values: [id] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async getDoctorByCode(code: string): Promise<DoctorRecord | null> {
    const { rows } = await this.pool.query<DoctorPgRow>({ ...statement('doctor_by_code', 'SELECT * FROM doctors WHERE code = $1'), values: [code] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async listDoctors(): Promise<DoctorRecord[]> {
    const { rows } = await this.pool.query<DoctorPgRow>('SELECT * FROM doctors ORDER BY created_at, id');
    return rows.map(toDoctor);
  }

  async getSlot(id: string): Promise<SlotRow | null> {
    const { rows } = await this.pool.query<SlotPgRow>({ ...statement('slot', 'SELECT * FROM slots WHERE id = $1'), values: [id] });
    return rows[0] ? toSlot(rows[0]) : null;
  }

  async getToken(id: string): Promise<TokenRow | null> {
    const { rows } = await this.pool.query<TokenPgRow>({ ...statement('token', 'SELECT * FROM tokens WHERE id = $1'), values: [id] });
    return rows[0] ? toToken(rows[0]) : null;
  }

  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return readDayEvents(this.pool, key, fromVersion);
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventPgRow>({
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
    const { rows } = await this.pool.query<EventPgRow>({
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
}

const LOCK_DAY = statement('lock_day', 'SELECT version FROM doctor_days WHERE doctor_id = $1 AND date = $2 FOR UPDATE');
const NEW_DAY = statement('new_day', 'INSERT INTO doctor_days (doctor_id, date) VALUES ($1, $2) ON CONFLICT DO NOTHING');

// Data-modifying CTEs all run to completion against one snapshot; the foreign keys of the new
// events and rows are checked at the end of the statement, when the doctor_days row exists.
const APPEND = statement(
  'append',
  `WITH day AS (
     INSERT INTO doctor_days AS d (doctor_id, date, version) VALUES ($1, $2, $3)
     ON CONFLICT (doctor_id, date) DO UPDATE SET version = d.version + excluded.version
     RETURNING version
   ), ev AS (
     INSERT INTO events (doctor_id, date, position, type, token_id, at, payload)
     SELECT $1, $2, (day.version - $3 + u.o - 1)::integer, u.type, u.token_id, u.at, u.payload::json
     FROM day, unnest($4::text[], $5::text[], $6::bigint[], $7::text[]) WITH ORDINALITY AS u (type, token_id, at, payload, o)
     ORDER BY u.o
     RETURNING seq, position
   ), slot AS (
     INSERT INTO slots AS s (id, doctor_id, date, start, "end", capacity, occupied)
     SELECT u.id, $1, $2, u.start, u.stop, u.capacity, u.occupied
     FROM unnest($8::text[], $9::bigint[], $10::bigint[], $11::integer[], $12::integer[]) AS u (id, start, stop, capacity, occupied)
     ON CONFLICT (id) DO UPDATE SET start = excluded.start, "end" = excluded."end", capacity = excluded.capacity,
       occupied = excluded.occupied
     WHERE s.doctor_id = excluded.doctor_id AND s.date = excluded.date
     RETURNING 1
   ), token AS (
     INSERT INTO tokens AS t (id, doctor_id, date, number, slot_id, source, status, patient, issued_at, bumps, skips)
     SELECT u.id, $1, $2, u.number, u.slot_id, u.source, u.status, u.patient::json, u.issued_at, u.bumps, u.skips
     FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[], $20::integer[],
       $21::integer[]) AS u (id, number, slot_id, source, status, patient, issued_at, bumps, skips)
     ON CONFLICT (id) DO UPDATE SET number = excluded.number, slot_id = excluded.slot_id, source = excluded.source,
       status = excluded.status, patient = excluded.patient, issued_at = excluded.issued_at, bumps = excluded.bumps,
       skips = excluded.skips
     WHERE t.doctor_id = excluded.doctor_id AND t.date = excluded.date
     RETURNING 1
   )
   SELECT (SELECT json_agg(seq ORDER BY position) FROM ev) AS seqs,
          (SELECT count(*) FROM slot)::integer AS slots,
          (SELECT count(*) FROM token)::integer AS tokens`,
);

/** One work's connection. As in PostgreSQL itself, a failed call spoils the rest of the transaction. */
class PostgresTransaction implements Transaction {
  private ended = false;
  private failure: { error: unknown } | null = null;

  /** The doctor of the day locked first, read right after its lock (undefined: not read). */
  private lockedDoctor: { id: string; record: DoctorRecord | null } | undefined;
  /** Whether BEGIN has been sent (and answered), or is on its way. */
  begun = false;
  beginning = false;

  constructor(
    private readonly client: pg.PoolClient,
    /** BEGIN, and any lock taken with it, sent before the first statement. */
    private readonly begin: string,
  ) {}

  /** Sends BEGIN alone, when the first statement cannot carry it. */
  private async ensureBegun(c: pg.PoolClient): Promise<void> {
    if (this.begun) return;
    this.beginning = true;
    await c.query(this.begin);
    this.begun = true;
  }

  /** Called when the work returned: a failure it swallowed must still roll back. */
  finish(): void {
    this.ended = true;
    if (this.failure) throw this.failure.error;
  }

  end(): void {
    this.ended = true;
  }

  private async run<T>(what: (c: pg.PoolClient) => Promise<T>, carriesBegin = false): Promise<T> {
    if (this.ended) throw new TransactionClosedError('the transaction is over: its work already settled');
    if (this.failure) throw new TransactionClosedError('an earlier call of this transaction failed');
    try {
      if (!carriesBegin) await this.ensureBegun(this.client);
      return await what(this.client);
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }

  lockDay(key: DayKey): Promise<number> {
    return this.run(async (c) => {
      const values = [key.doctorId, key.date];
      if (!this.begun) {
        // The usual first statement: BEGIN and the lock in one simple-protocol message.
        this.beginning = true;
        // The doctor is read by the statement after the lock: under READ COMMITTED it sees every
        // change committed before the lock was granted (the desk reads the policy there).
        const doctorId = c.escapeLiteral(key.doctorId);
        const sql =
          `${this.begin}; SELECT version FROM doctor_days WHERE doctor_id = ${doctorId} AND date = ${c.escapeLiteral(key.date)} FOR UPDATE; ` +
          `SELECT * FROM doctors WHERE id = ${doctorId}`;
        const results = (await c.query(sql)) as unknown as pg.QueryResult[];
        this.begun = true;
        const found = (results[results.length - 2]!.rows as { version: number }[])[0];
        if (found) {
          const doctor = (results[results.length - 1]!.rows as DoctorPgRow[])[0];
          this.lockedDoctor = { id: key.doctorId, record: doctor ? toDoctor(doctor) : null };
          return found.version;
        }
      } else {
        const found = await c.query<{ version: number }>({ ...LOCK_DAY, values });
        if (found.rows[0]) return found.rows[0].version;
      }
      await c.query({ ...NEW_DAY, values });
      const created = await c.query<{ version: number }>({ ...LOCK_DAY, values });
      return created.rows[0]!.version;
    }, true);
  }

  dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    return this.run((c) => readDayEvents(c, key, fromVersion));
  }

  append(key: DayKey, events: DoctorDayEvent[], slotRows: SlotRow[], tokenRows: TokenRow[]): Promise<number[]> {
    return this.run(async (c) => {
      checkAppend(key, slotRows, tokenRows);
      const slots = lastById(slotRows);
      const tokens = lastById(tokenRows);
      const { rows } = await c.query<{ seqs: number[] | null; slots: number; tokens: number }>({
        ...APPEND,
        values: [
          key.doctorId,
          key.date,
          events.length,
          events.map((e) => e.type),
          events.map(tokenIdOf),
          events.map((e) => e.at),
          events.map((e) => JSON.stringify(e)),
          slots.map((s) => s.id),
          slots.map((s) => s.start),
          slots.map((s) => s.end),
          slots.map((s) => s.capacity),
          slots.map((s) => s.occupied),
          tokens.map((t) => t.id),
          tokens.map((t) => t.number),
          tokens.map((t) => t.slotId),
          tokens.map((t) => t.source),
          tokens.map((t) => t.status),
          tokens.map((t) => JSON.stringify(t.patient)),
          tokens.map((t) => t.issuedAt),
          tokens.map((t) => t.bumps),
          tokens.map((t) => t.skips),
        ],
      });
      const result = rows[0]!;
      if (result.slots !== slots.length) throw new Error(`a slot of the append belongs to another doctor-day`);
      if (result.tokens !== tokens.length) throw new Error(`a token of the append belongs to another doctor-day`);
      return result.seqs ?? [];
    });
  }

  getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return this.run(async (c) => {
      const { rows } = await c.query<IdempotencyPgRow>({ ...statement('idempotency', 'SELECT * FROM idempotency WHERE key = $1'), values: [key] });
      const r = rows[0];
      return r ? { key: r.key, requestHash: r.request_hash, response: r.response, createdAt: r.created_at } : null;
    });
  }

  putIdempotency(record: IdempotencyRecord): Promise<void> {
    return this.run(async (c) => {
      try {
        await c.query({
          ...statement('put_idempotency', 'INSERT INTO idempotency (key, request_hash, response, created_at) VALUES ($1, $2, $3, $4)'),
          values: [record.key, record.requestHash, record.response, record.createdAt],
        });
      } catch (error) {
        if (uniqueConstraint(error) === 'idempotency_pkey') throw new DuplicateKeyError('idempotency.key', record.key);
        throw error;
      }
    });
  }

  getDoctor(id: string): Promise<DoctorRecord | null> {
    if (this.lockedDoctor?.id === id && !this.ended && !this.failure) return Promise.resolve(this.lockedDoctor.record);
    return this.run(async (c) => {
      const { rows } = await c.query<DoctorPgRow>({ ...statement('doctor', 'SELECT * FROM doctors WHERE id = $1'), values: [id] });
      return rows[0] ? toDoctor(rows[0]) : null;
    });
  }

  insertDoctor(d: DoctorRecord): Promise<void> {
    this.lockedDoctor = undefined;
    return this.run(async (c) => {
      try {
        await c.query('INSERT INTO doctors (id, name, department, code, policy, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          d.id,
          d.name,
          d.department,
          d.code,
          JSON.stringify(d.policy),
          d.createdAt,
        ]);
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
    return this.run(async (c) => {
      const { rowCount } = await c.query('UPDATE doctors SET policy = $1 WHERE id = $2', [JSON.stringify(policy), doctorId]);
      if (rowCount === 0) throw new Error(`no doctor ${doctorId}`);
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
