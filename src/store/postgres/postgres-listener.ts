// One LISTEN connection per store: a commit that appended events sends NOTIFY on the store's channel
// (in the same transaction, so only a commit wakes anyone), and every server's live feeds wake at once
// instead of polling the log. A notification carries nothing: the log stays the only source of truth.
//
// The connection is the process's own, outside the pool. When it drops (restart, fail-over, network)
// it is opened again with a growing backoff, and the wakers are called once it listens again:
// whatever was committed while nobody listened is then read from the log.

import pg from 'pg';
import type { EventWatch } from '../store.ts';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface ListenerOptions {
  url: string;
  channel: string;
  clientConfig: pg.ClientConfig;
  /** Told of each lost or failed connection (the store keeps trying). */
  onError?: (err: unknown) => void;
}

export class EventListener {
  private readonly wakers = new Set<() => void>();
  private client: pg.Client | null = null;
  private live = false;
  private started = false;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenerOptions) {}

  /** Calls `wake` on every notification, and after every reconnection. */
  watch(wake: () => void): EventWatch {
    this.wakers.add(wake);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    const live = () => this.live;
    return {
      get live() {
        return live();
      },
      close: () => {
        this.wakers.delete(wake);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.live = false;
    await client?.end().catch(() => {});
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ ...this.options.clientConfig, connectionString: this.options.url, application_name: 'opd-listen', keepAlive: true });
    let lost = false;
    const onLost = (err: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      const wasLive = this.live;
      this.live = false;
      client.end().catch(() => {});
      if (this.closed) return;
      if (wasLive || err) this.options.onError?.(err ?? new Error('the LISTEN connection ended'));
      this.retry = setTimeout(() => void this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
    // Without a listener an 'error' of this client would end the process.
    client.on('error', onLost);
    client.on('end', () => onLost(null));
    client.on('notification', () => this.wakeAll());
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
    } catch (err) {
      onLost(err);
      return;
    }
    if (this.closed || lost) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.live = true;
    this.retryMs = FIRST_RETRY_MS;
    // Events committed while nobody listened are in the log: the readers look once.
    this.wakeAll();
  }
}
