// The PostgreSQL store, for several servers sharing one database. A transaction is one pooled
// connection in READ COMMITTED; a doctor-day is serialized by locking its doctor_days row
// (SELECT … FOR UPDATE), an idempotency key by a transaction-scoped advisory lock taken first.
// A transaction's statements travel in as few messages as possible: BEGIN, the locks, the doctor and
// the catch-up read in one; the writes and COMMIT in another. A booking costs two round trips. The
// NOTIFY that wakes the other servers' feeds follows the commit on a connection of its own.

import pg from 'pg';
import type { DoctorDayEvent } from '../../engine/index.ts';
import { pendingMigrations, SCHEMA_MIGRATIONS_SQL } from '../migrations.ts';
import { StoreUnavailableError } from '../errors.ts';
import type { ActorEvent, DayKey, DayRecords, DoctorRecord, EventWatch, SlotRow, StoredEvent, Store, TokenRow, Transaction } from '../store.ts';
import { NO_STORE_OBSERVER, type StoreObserver } from '../store.ts';
import { toActorEvent, toDoctor, toSlot, type ActorEventColumns, toStoredEvent, toToken, type DoctorColumns, type EventColumns, type SlotColumns, type TokenColumns } from '../table-rows.ts';
import { isConnectionError, storeError } from './postgres-errors.ts';
import { EventListener } from './postgres-listener.ts';
import { Notifier, notifyConnection } from './postgres-notifier.ts';
import { literal, PREPARES, statement } from './postgres-sql.ts';
import { PostgresTransaction } from './postgres-transaction.ts';
import type { AccessRepository } from '../access-repo.ts';
import { PostgresAccessRepository } from './access-repo.ts';
import { PostgresSettingsRepository } from './settings-repo.ts';
import type { SettingsRepository } from '../settings-repo.ts';
import { PostgresSummaryRepository } from './summary-repo.ts';
import type { SummaryRepository } from '../summary-repo.ts';
import type { PersonalRepository } from '../personal-repo.ts';
import { numbered, PostgresPersonalRepository } from './personal-repo.ts';

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
  /**
   * The LISTEN/NOTIFY channel that wakes live feeds (default `opd_events`, with the schema's name when
   * one is given). Every server on the same tables must use the same one.
   */
  channel?: string;
  /** Told how long each transaction took, and each doctor-day lock (with its read). */
  metrics?: StoreObserver;
  /** Told when the LISTEN connection is lost or cannot be opened (it is retried with backoff), or a NOTIFY fails. */
  onListenError?: (err: unknown) => void;
}

// The two-key form of advisory locks keeps our lock spaces apart from each other and from any
// other application's single-key locks on the same database.
const MIGRATION_LOCK = 0x0d7001;
const IDEMPOTENCY_LOCK = 0x0d7002;
const INT8_OID = 20;

/** Epoch ms and seqs are BIGINT; they fit a JS number, and callers expect numbers, not strings. */
const clientTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  return new PostgresStore(url, options);
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** A pooled connection held by this store, and the error that broke it while held, if any. */
interface Held {
  client: pg.PoolClient;
  lost(): Error | undefined;
  release(broken?: Error): void;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | null;
  /** Connections whose transaction statements are prepared (see PREPARES). */
  private readonly prepared = new WeakSet<pg.PoolClient>();
  private readonly channel: string;
  private readonly listener: EventListener;
  private readonly notifier: Notifier;
  private readonly notifyConnection: { end(): Promise<void> };
  readonly access: AccessRepository;
  readonly settings: SettingsRepository;
  readonly summaries: SummaryRepository;
  readonly personal: PersonalRepository;
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
      types: clientTypes,
      // A peer that vanished without closing (a network cut) is noticed by TCP keepalive.
      keepAlive: true,
    });
    // An idle connection that dies (server restart) must not crash the process; the pool replaces it.
    this.pool.on('error', () => {});
    this.channel = (options.channel ?? (schema ? `opd_events_${schema}` : 'opd_events')).slice(0, 63);
    this.listener = new EventListener({
      url,
      channel: this.channel,
      clientConfig: { types: clientTypes },
      onError: options.onListenError,
    });
    const connection = notifyConnection(url, this.channel, { types: clientTypes });
    this.notifyConnection = connection;
    const onListenError = options.onListenError;
    this.notifier = new Notifier({ send: connection.send, onError: onListenError && ((err) => onListenError(new Error(`the NOTIFY connection failed: ${String(err)}`, { cause: err }))) });
    this.access = new PostgresAccessRepository(this.pool);
    this.settings = new PostgresSettingsRepository(this.pool);
    this.summaries = new PostgresSummaryRepository(this.pool);
    this.personal = new PostgresPersonalRepository(this.pool);
  }

  /**
   * A pooled connection with an 'error' listener for as long as it is held: a connection that drops
   * while checked out (terminated backend, server restart, network) emits 'error', and an emitter
   * without a listener would end the process. The error is kept: the connection must then be dropped.
   */
  private async hold(): Promise<Held> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(error);
    }
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost ??= error;
    };
    client.on('error', onError);
    return {
      client,
      lost: () => lost,
      release: (broken) => {
        client.off('error', onError);
        client.release(broken ?? lost);
      },
    };
  }

  /** A statement on any pooled connection; a lost database is reported as StoreUnavailableError. */
  private async query<R extends pg.QueryResultRow>(q: string | pg.QueryConfig): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(q);
    } catch (error) {
      throw storeError(error);
    }
  }

  watchEvents(wake: () => void): EventWatch {
    return this.listener.watch(wake);
  }

  async migrate(): Promise<void> {
    const held = await this.hold();
    const client = held.client;
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
          if (m.data) {
            await m.data({
              dialect: 'postgres',
              all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Record<string, unknown>[],
              run: async (sql, params = []) => {
                await client.query(numbered(sql), params);
              },
            });
          }
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
    } catch (error) {
      throw storeError(error);
    } finally {
      held.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.notifier.close();
    await this.notifyConnection.end();
    await this.listener.close();
    if (!this.pool.ended) await this.pool.end();
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>, idempotencyKey?: string): Promise<T> {
    const held = await this.hold();
    const client = held.client;
    let tx: PostgresTransaction | null = null;
    let broken: Error | undefined;
    try {
      await this.prepare(client);
    } catch (error) {
      // Some statements may be prepared and others not: the pool must drop this connection.
      held.release(error as Error);
      throw storeError(error);
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
      // After COMMIT returned, never with it (see postgres-notifier.ts): only what is committed wakes anyone.
      if (tx.appended) this.notifier.notify();
      return value;
    } catch (error) {
      tx?.end();
      const lost = held.lost();
      if (!lost && (tx === null || tx.begun || tx.beginning)) {
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e; // the connection is unusable: the pool must drop it, not hand it out again
        });
      }
      // Lost while COMMIT was on its way, PostgreSQL may have committed: never report that as a failure.
      const outcome = tx?.committing ? 'unknown' : 'not-committed';
      if (lost && !isConnectionError(error)) throw new StoreUnavailableError(outcome, { cause: lost });
      throw storeError(error, outcome);
    } finally {
      held.release(broken);
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
    const { rows } = await this.query<DoctorColumns>({ ...statement('doctor', 'SELECT * FROM doctors WHERE id = $1'), values: [id] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async getDoctorByCode(code: string): Promise<DoctorRecord | null> {
    const { rows } = await this.query<DoctorColumns>({ ...statement('doctor_by_code', 'SELECT * FROM doctors WHERE code = $1'), values: [code] });
    return rows[0] ? toDoctor(rows[0]) : null;
  }

  async listDoctors(): Promise<DoctorRecord[]> {
    const { rows } = await this.query<DoctorColumns>('SELECT * FROM doctors ORDER BY created_at, id');
    return rows.map(toDoctor);
  }

  async getSlot(id: string): Promise<SlotRow | null> {
    const { rows } = await this.query<SlotColumns>({ ...statement('slot', 'SELECT * FROM slots WHERE id = $1'), values: [id] });
    return rows[0] ? toSlot(rows[0]) : null;
  }

  async getToken(id: string): Promise<TokenRow | null> {
    const { rows } = await this.query<TokenColumns>({ ...statement('token', 'SELECT * FROM tokens WHERE id = $1'), values: [id] });
    return rows[0] ? toToken(rows[0]) : null;
  }

  async dayEvents(key: DayKey, fromVersion: number): Promise<DoctorDayEvent[]> {
    try {
      return await readDayEvents(this.pool, key, fromVersion);
    } catch (error) {
      throw storeError(error);
    }
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.query<EventColumns>({
      ...statement('events_after', 'SELECT seq, doctor_id, date, payload, actor FROM events WHERE seq > $1 ORDER BY seq LIMIT $2'),
      values: [seq, limit],
    });
    return rows.map(toStoredEvent);
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.query<{ seq: string }>({
      ...statement('latest_seq', 'SELECT coalesce(max(seq), 0) AS seq FROM events'),
      values: [],
    });
    return Number(rows[0]!.seq);
  }

  async tokenEvents(tokenId: string): Promise<StoredEvent[]> {
    const { rows } = await this.query<EventColumns>({
      ...statement('token_events', 'SELECT seq, doctor_id, date, payload, actor FROM events WHERE token_id = $1 ORDER BY seq'),
      values: [tokenId],
    });
    return rows.map(toStoredEvent);
  }

  async actorEvents(actorId: string, from: number, to: number): Promise<ActorEvent[]> {
    const { rows } = await this.query<ActorEventColumns>({
      ...statement(
        'actor_events',
        `SELECT e.seq, e.doctor_id, e.date, e.payload, e.actor, t.number AS token_number FROM events e LEFT JOIN tokens t ON t.id = e.token_id
         WHERE e.actor_id = $1 AND e.at >= $2 AND e.at < $3 ORDER BY e.seq`,
      ),
      values: [actorId, from, to],
    });
    return rows.map(toActorEvent);
  }

  async daysWithSlotsEndingAfter(time: number): Promise<DayKey[]> {
    const { rows } = await this.query<{ doctor_id: string; date: string }>({
      ...statement('days_open', 'SELECT DISTINCT doctor_id, date FROM slots WHERE "end" > $1 ORDER BY doctor_id, date'),
      values: [time],
    });
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async listDays(date?: string): Promise<DayKey[]> {
    const { rows } =
      date === undefined
        ? await this.query<{ doctor_id: string; date: string }>('SELECT doctor_id, date FROM doctor_days ORDER BY date, doctor_id')
        : await this.query<{ doctor_id: string; date: string }>({ text: 'SELECT doctor_id, date FROM doctor_days WHERE date = $1 ORDER BY doctor_id', values: [date] });
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async readDayRecords(key: DayKey): Promise<DayRecords> {
    // REPEATABLE READ: the four reads see one snapshot, whatever the servers commit meanwhile.
    const held = await this.hold();
    const client = held.client;
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
        if (!held.lost()) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      }
    } catch (error) {
      throw storeError(error);
    } finally {
      held.release(broken);
    }
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
