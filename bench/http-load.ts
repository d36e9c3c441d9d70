// Load from autocannon 9 (its programmatic API, in this process): a fixed number of connections for a
// fixed time, every request built fresh (a new patient each), against one server or several. With
// several servers, one autocannon instance per server runs at the same time with its share of the
// connections; their counts are added up and their latency histograms merged
// (autocannon.aggregateResult), so p50 and p99 are over every request of every instance.

import { createRequire } from 'node:module';

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: Histogram;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: object) => void;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
  skipAggregateResult?: boolean;
  timeout?: number;
}

interface Autocannon {
  (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void): { stop(): void };
  aggregateResult(results: AutocannonResult[], options: Partial<AutocannonOptions>): AutocannonResult;
}

// autocannon is CommonJS without type declarations: the few parts used here are typed above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadSpec {
  /** Base URLs, e.g. http://127.0.0.1:41234; the connections are shared out between them. */
  targets: string[];
  connections: number;
  seconds: number;
  method: 'POST' | 'GET';
  path: string;
  /** The body of the n-th request of the whole benchmark (n is never reused). */
  body?: (n: number) => string;
  /** Sorts each answer into a named count (e.g. seated / waitlisted); optional. */
  classify?: (status: number, body: string) => string | null;
  /** Sent with every request: the credentials. */
  headers?: Record<string, string>;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  /** 2xx answers. */
  ok: number;
  /** 2xx answers per second, added up over the servers. */
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  average: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  classes: Record<string, number>;
}

/** Numbers the bodies of all loads of this process, so that no two requests ever carry the same patient. */
let requestNumber = 0;

function runOne(options: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const classes: Record<string, number> = {};
  const perTarget = Math.max(1, Math.floor(spec.connections / spec.targets.length));
  const request: AutocannonRequest = {
    method: spec.method,
    path: spec.path,
    headers: { 'content-type': 'application/json', ...spec.headers },
  };
  const body = spec.body;
  if (body) request.setupRequest = (req) => ({ ...req, body: body(requestNumber++) });
  const classify = spec.classify;
  if (classify) {
    request.onResponse = (status, text) => {
      const name = classify(status, text);
      if (name !== null) classes[name] = (classes[name] ?? 0) + 1;
    };
  }
  const options = (url: string): AutocannonOptions => ({
    url,
    connections: perTarget,
    duration: spec.seconds,
    requests: [request],
    skipAggregateResult: true,
    timeout: 10,
  });
  const results = await Promise.all(spec.targets.map((url) => runOne(options(url))));
  const merged = autocannon.aggregateResult(results, { url: spec.targets[0]!, connections: perTarget * spec.targets.length });
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(merged.statusCodeStats)) statusCodes[code] = count;
  return {
    connections: perTarget * spec.targets.length,
    seconds: Math.max(...results.map((r) => r.duration)),
    ok: merged['2xx'],
    perSecond: results.reduce((sum, r) => sum + r['2xx'] / r.duration, 0),
    p50: merged.latency.p50,
    p90: merged.latency.p90,
    p99: merged.latency.p99,
    max: merged.latency.max,
    average: merged.latency.average,
    non2xx: merged.non2xx,
    errors: merged.errors,
    timeouts: merged.timeouts,
    statusCodes,
    classes,
  };
}
