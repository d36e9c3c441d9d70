// How long and how many: the limits a listening server puts on slow or greedy clients. The defaults
// live here, beside nothing else, so that config.ts can read them without loading the app.

/** Milliseconds; 0 turns one off. The live feed's stream is a response, so no request timeout cuts it. */
export interface HttpTimeouts {
  /** The whole request, headers and body, must arrive within this. */
  requestMs: number;
  /** The headers must arrive within this (at most requestMs). */
  headersMs: number;
  /** An idle connection between requests is closed after this. */
  keepAliveMs: number;
}

export const TIMEOUT_DEFAULTS: HttpTimeouts = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 };

/** Open live-feed streams allowed; past either, GET /api/events is a 503 FEED_FULL. */
export interface FeedLimits {
  /** From one client address (behind a proxy, the proxy's unless it forwards the client's). */
  maxPerClient: number;
  /** In all. */
  maxTotal: number;
}

export const FEED_DEFAULTS: FeedLimits = { maxPerClient: 32, maxTotal: 1000 };
