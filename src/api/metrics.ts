// Metrics for the operators: GET /metrics in the Prometheus text format (docs/operations.md names
// every series and what it tells). One registry per app, so that tests and several apps in one
// process never count into each other. The store and the desk report through their observer
// interfaces (StoreObserver, DeskObserver) and never import prom-client; this class implements both.

import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DoctorDayEvent } from '../engine/index.ts';
import type { DeskObserver } from '../service/types.ts';
import type { StoreObserver } from '../store/store.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

/** The live feed's route: its streams are counted as open clients, not timed as requests. */
const LIVE_FEED_ROUTE = '/api/events';

/** From half a millisecond (a read on SQLite) to ten seconds (a request that waited on a lock). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A commit with its fsync: tens of microseconds on a fast disk, far more on a slow or busy one. */
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Group sizes up to the SQLite store's default maxGroup (64). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64];

let processRegistry: Registry | undefined;

/**
 * The process's own series (CPU, memory, GC, event-loop lag): one set per process, shared by every
 * app in it. collectDefaultMetrics starts an event-loop delay monitor and a GC observer each time it
 * is called and never stops them, so a test run building hundreds of apps must call it once.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class OpdMetrics implements StoreObserver, DeskObserver {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'opd_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer, by route pattern, method and status (the live feed is not timed).',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly problems = new Counter({
    name: 'opd_http_problems_total',
    help: 'Answers that were problem+json, by route pattern, method and problem code: refusals (4xx) and failures (5xx).',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [this.registry],
  });
  private readonly tokensIssued = new Counter({
    name: 'opd_tokens_issued_total',
    help: 'Tokens issued (bookings committed; a replayed Idempotency-Key is not counted again), by source.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly eventsWritten = new Counter({
    name: 'opd_events_written_total',
    help: 'Events committed to the log by this process, by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly feedClients = new Gauge({
    name: 'opd_live_feed_clients',
    help: 'Live-feed streams (GET /api/events) open now.',
    registers: [this.registry],
  });
  /**
   * Made on first use, so that a server shows the series of the store it runs on only, and the tick
   * series once the tick timer ran (a manual clock has none; an alert on the last tick's age must not
   * fire before the first).
   */
  private sqlite: { batch: Histogram; commit: Histogram } | undefined;
  private ticks: { lag: Gauge; duration: Gauge; last: Gauge } | undefined;
  private postgres: { transaction: Histogram; lockWait: Histogram } | undefined;

  /** The Prometheus text of the app's series and the process's. */
  async text(): Promise<string> {
    return (await this.registry.metrics()) + (await processMetrics().metrics());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  // ---------------------------------------------------------------- StoreObserver

  commitBatch(size: number, seconds: number): void {
    this.sqlite ??= {
      batch: this.histogram('opd_sqlite_commit_batch_size', 'Transactions committed together in one SQLite commit (group commit).', BATCH_BUCKETS),
      commit: this.histogram('opd_sqlite_commit_seconds', 'Time of one SQLite COMMIT, its fsync included (synchronous=FULL).', COMMIT_BUCKETS),
    };
    this.sqlite.batch.observe(size);
    this.sqlite.commit.observe(seconds);
  }

  transaction(seconds: number): void {
    this.pg().transaction.observe(seconds);
  }

  lockWait(seconds: number): void {
    this.pg().lockWait.observe(seconds);
  }

  // ---------------------------------------------------------------- DeskObserver

  committed(events: readonly DoctorDayEvent[]): void {
    for (const e of events) {
      this.eventsWritten.inc({ type: e.type });
      if (e.type === 'TokenIssued') this.tokensIssued.inc({ source: e.source });
    }
  }

  tick(lateSeconds: number, seconds: number): void {
    this.ticks ??= {
      lag: this.gauge('opd_tick_lag_seconds', 'How late the last run of the tick timer started after it was due (a blocked event loop, or the run before it still going).'),
      duration: this.gauge('opd_tick_duration_seconds', 'How long the last run of the tick timer took (every open doctor-day ticked).'),
      last: this.gauge('opd_tick_last_success_timestamp_seconds', 'When the last run of the tick timer ended without error (Unix time).'),
    };
    this.ticks.lag.set(lateSeconds);
    this.ticks.duration.set(seconds);
    this.ticks.last.set(Date.now() / 1000);
  }

  // ---------------------------------------------------------------- HTTP

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: status }, seconds);
  }

  problem(method: string, route: string, code: string): void {
    this.problems.inc({ method, route, code });
  }

  feedOpened(): void {
    this.feedClients.inc();
  }

  feedClosed(): void {
    this.feedClients.dec();
  }

  private pg(): NonNullable<OpdMetrics['postgres']> {
    return (this.postgres ??= {
      transaction: this.histogram('opd_pg_transaction_seconds', 'Time of one PostgreSQL transaction, from its first message to COMMIT or ROLLBACK answered.', LATENCY_BUCKETS),
      lockWait: this.histogram(
        'opd_pg_lock_wait_seconds',
        "Time to get the doctor-day's lock (SELECT … FOR UPDATE) and its catch-up read answered: mostly waiting for the writer before.",
        LATENCY_BUCKETS,
      ),
    });
  }

  private histogram(name: string, help: string, buckets: number[]): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}

/** The route pattern of a request (never its URL, which holds ids); "unmatched" when no route took it. */
function routeOf(request: { routeOptions: { url?: string } }): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Times every request and counts every problem answer, counts the open live-feed streams, and serves
 * GET /metrics. Added to the root instance (not registered as a plugin) so that its hooks see every
 * route. /metrics is left out of the OpenAPI document, as /healthz: it is for operators, not clients.
 */
export function observeHttp(app: FastifyInstance, metrics: OpdMetrics): void {
  app.addHook('preHandler', (request, reply, done) => {
    // After validation, so only streams that really start are counted; 'close' comes once, however they end.
    if (request.routeOptions.url === LIVE_FEED_ROUTE) {
      metrics.feedOpened();
      reply.raw.once('close', () => metrics.feedClosed());
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith(PROBLEM_CONTENT_TYPE)) {
      metrics.problem(request.method, routeOf(request), problemCode(payload));
    }
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    if (route !== LIVE_FEED_ROUTE) metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
}

function problemCode(payload: string): string {
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}
