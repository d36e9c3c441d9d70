// GET /metrics scraped after real requests: the series exist with the route pattern (never an id),
// and the counters say exactly what was done.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpdMetrics } from './metrics.ts';
import { call, harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(h: Harness): Promise<Sample[]> {
  const res = await h.sut.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body);
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('GET /metrics', () => {
  let h: Harness;
  let day: Day;
  beforeEach(async () => {
    h = await harness();
    day = await seedDay(h.sut);
  });
  afterEach(() => h.close());

  it('counts 3 bookings and 1 DUPLICATE_TOKEN refusal exactly, timed by route pattern and status', async () => {
    const first = patient();
    const booked = [];
    for (const p of [first, patient(), patient()]) {
      const res = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: p });
      expect(res.status).toBe(201);
      booked.push(res.body.id as string);
    }
    const refused = await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'PAID', patient: { name: 'someone', id: first.id } });
    expect(refused.body.code).toBe('DUPLICATE_TOKEN');
    expect((await call(h.sut, 'POST', `/api/tokens/${booked[0]}/cancel`)).status).toBe(200);

    const s = await scrape(h);
    expect(value(s, 'opd_tokens_issued_total', { source: 'WALKIN' })).toBe(3);
    expect(value(s, 'opd_tokens_issued_total', { source: 'PAID' })).toBeUndefined();
    expect(value(s, 'opd_events_written_total', { type: 'TokenIssued' })).toBe(3);
    expect(value(s, 'opd_events_written_total', { type: 'TokenCancelled' })).toBe(1);
    expect(value(s, 'opd_http_problems_total', { method: 'POST', route: '/api/tokens', code: 'DUPLICATE_TOKEN' })).toBe(1);
    expect(s.filter((x) => x.name === 'opd_http_problems_total')).toHaveLength(1);

    const requests = (labels: Record<string, string>) => value(s, 'opd_http_request_duration_seconds_count', labels);
    expect(requests({ method: 'POST', route: '/api/tokens', status_code: '201' })).toBe(3);
    expect(requests({ method: 'POST', route: '/api/tokens', status_code: '409' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/tokens/:id/cancel', status_code: '200' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/slots', status_code: '201' })).toBe(2);
    // Every request of the run is in the histogram, its buckets cumulative up to the count.
    const inf = value(s, 'opd_http_request_duration_seconds_bucket', { method: 'POST', route: '/api/tokens', status_code: '201', le: '+Inf' });
    expect(inf).toBe(3);
    // Routes are patterns: no label anywhere carries a token's id.
    for (const x of s) for (const v of Object.values(x.labels)) for (const id of booked) expect(v).not.toContain(id);
  });

  it('does not count a replayed booking as a second token', async () => {
    const body = { doctorId: day.doctor.id, source: 'ONLINE', patient: patient() };
    const headers = { 'idempotency-key': 'metrics-replay-1' };
    const a = await call(h.sut, 'POST', '/api/tokens', body, headers);
    const b = await call(h.sut, 'POST', '/api/tokens', body, headers);
    expect(b.body.id).toBe(a.body.id);
    const s = await scrape(h);
    expect(value(s, 'opd_tokens_issued_total', { source: 'ONLINE' })).toBe(1);
    expect(value(s, 'opd_http_request_duration_seconds_count', { method: 'POST', route: '/api/tokens', status_code: '201' })).toBe(2);
  });

  it('names requests no route took "unmatched", and counts their problem', async () => {
    await call(h.sut, 'GET', '/api/nothing-here/123');
    const s = await scrape(h);
    expect(value(s, 'opd_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(value(s, 'opd_http_problems_total', { method: 'GET', route: 'unmatched', code: 'NOT_FOUND' })).toBe(1);
  });

  it('shows the store, the process and the event loop', async () => {
    const s = await scrape(h);
    // The harness runs SQLite: its group commits (migrate, the doctor, two slots), no PostgreSQL series.
    expect(value(s, 'opd_sqlite_commit_batch_size_count')).toBeGreaterThanOrEqual(4);
    expect(value(s, 'opd_sqlite_commit_seconds_count')).toBe(value(s, 'opd_sqlite_commit_batch_size_count'));
    expect(s.some((x) => x.name.startsWith('opd_pg_'))).toBe(false);
    expect(value(s, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // A manual clock has no tick timer: no tick series (an alert on the last tick's age stays quiet).
    expect(s.some((x) => x.name.startsWith('opd_tick_'))).toBe(false);
  });

  it('keeps each app its own counters', async () => {
    const other = await harness();
    try {
      await call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
      expect(value(await scrape(h), 'opd_tokens_issued_total', { source: 'WALKIN' })).toBe(1);
      expect(value(await scrape(other), 'opd_tokens_issued_total', { source: 'WALKIN' })).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('is left out of the OpenAPI document', async () => {
    const doc = await call(h.sut, 'GET', '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
  });

  it('counts open live-feed streams while they are open', async () => {
    const url = await h.sut.listen({ host: '127.0.0.1', port: 0 });
    const abort = new AbortController();
    const res = await fetch(`${url}/api/events`, { headers: h.adminHeaders, signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read(); // the stream's first frame: its handler runs
    expect(value(await scrape(h), 'opd_live_feed_clients')).toBe(1);
    // A refused stream (bad ?after=) leaves the count as it was.
    expect((await call(h.sut, 'GET', '/api/events?after=-1')).status).toBe(400);
    expect(value(await scrape(h), 'opd_live_feed_clients')).toBe(1);
    abort.abort();
    await reader.read().catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (value(await scrape(h), 'opd_live_feed_clients') !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(value(await scrape(h), 'opd_live_feed_clients')).toBe(0);
    // A stream is not a request to time.
    expect(value(await scrape(h), 'opd_http_request_duration_seconds_count', { route: '/api/events' })).toBeUndefined();
  });
});

describe('OpdMetrics as the stores’ observer', () => {
  it('writes the PostgreSQL and SQLite series it is told of', async () => {
    const sut = new OpdMetrics();
    sut.transaction(0.03);
    sut.transaction(2);
    sut.lockWait(0.004);
    sut.commitBatch(3, 0.002);
    const s = parse(await sut.text());
    expect(value(s, 'opd_pg_transaction_seconds_count')).toBe(2);
    expect(value(s, 'opd_pg_transaction_seconds_sum')).toBeCloseTo(2.03);
    expect(value(s, 'opd_pg_transaction_seconds_bucket', { le: '0.05' })).toBe(1);
    expect(value(s, 'opd_pg_lock_wait_seconds_count')).toBe(1);
    expect(value(s, 'opd_pg_lock_wait_seconds_bucket', { le: '0.0025' })).toBe(0);
    expect(value(s, 'opd_pg_lock_wait_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(value(s, 'opd_sqlite_commit_batch_size_bucket', { le: '2' })).toBe(0);
    expect(value(s, 'opd_sqlite_commit_batch_size_bucket', { le: '4' })).toBe(1);
    expect(value(s, 'opd_sqlite_commit_seconds_sum')).toBeCloseTo(0.002);
  });
});
