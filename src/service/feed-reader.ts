// Reads the event log in sequence order for the live feed. With several writers (PostgreSQL), a
// sequence number is taken before its transaction commits, so a later number can become visible
// before an earlier one. A reader that skipped the gap would lose that event for good; this one stops
// at a gap and lets it settle, and only passes it after a while (a rolled-back transaction's number
// is never filled).
//
// FeedHub: every open feed of a server shares one read of the log per wake-up. It wakes on the
// store's notifications (PostgreSQL LISTEN/NOTIFY: another server committed events), on this server's
// own commits, and on a safety poll: slow while notifications flow, faster while they do not. A
// notification is only a hint: what a feed sends is always what was read from the log.

import type { EventWatch, Store, StoredEvent } from '../store/store.ts';

/** Longer than any transaction of this service takes. */
const SETTLE_MS = 3_000;

export class FeedReader {
  private readonly gapsSeenAt = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async after(seq: number, limit: number): Promise<StoredEvent[]> {
    return (await this.read(seq, limit)).events;
  }

  /** The events after `seq`, and whether some were held back behind a gap that has not settled. */
  async read(seq: number, limit: number): Promise<{ events: StoredEvent[]; heldBack: boolean }> {
    const events = await this.store.eventsAfter(seq, limit);
    const out: StoredEvent[] = [];
    let prev = seq;
    for (const e of events) {
      if (e.seq !== prev + 1 && !this.settled(prev + 1)) break;
      out.push(e);
      prev = e.seq;
    }
    if (this.gapsSeenAt.size > 10_000) this.gapsSeenAt.clear();
    return { events: out, heldBack: out.length < events.length };
  }

  private settled(missing: number): boolean {
    const now = this.wallClock();
    const seen = this.gapsSeenAt.get(missing);
    if (seen === undefined) {
      this.gapsSeenAt.set(missing, now);
      return false;
    }
    return now - seen >= SETTLE_MS;
  }
}

export interface FeedTiming {
  /** The safety poll while the store's notifications flow (default 5 s): a missed one delays an event at most this long. */
  pollMs?: number;
  /** The poll while they do not (a store without them, or a lost LISTEN connection; default 1 s). */
  fastPollMs?: number;
}

/** Recent events kept in memory: a feed that is not further behind reads them from here. */
const RECENT = 2_000;
const PAGE = 500;
/** How soon to look again when events wait behind a gap (it settles within SETTLE_MS). */
const GAP_RETRY_MS = 250;

interface Waiter {
  seq: number;
  done(): void;
}

export class FeedHub {
  private readonly reader: FeedReader;
  private readonly pollMs: number;
  private readonly fastPollMs: number;
  /** The last event of the shared read (null until a feed first waits). */
  private head: number | null = null;
  /** Every event the shared read passed in (base, head], in order. */
  private recent: StoredEvent[] = [];
  private base = 0;
  private readonly waiters = new Set<Waiter>();
  private watch: EventWatch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private again = false;
  /** A wake-up came while no feed was waiting: the next feed to wait reads the log at once. */
  private missed = false;
  private heldBack = false;
  private failing = false;
  private closed = false;
  /** Shared reads of the log so far (for tests and measurements). */
  reads = 0;

  constructor(
    private readonly store: Store,
    timing: FeedTiming = {},
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.reader = new FeedReader(store);
    this.pollMs = timing.pollMs ?? 5_000;
    this.fastPollMs = timing.fastPollMs ?? 1_000;
  }

  /** Events after `seq`: from memory when the shared read holds them, else from the log. */
  async after(seq: number, limit: number): Promise<StoredEvent[]> {
    if (this.head !== null && seq >= this.base && seq <= this.head) {
      let lo = 0;
      let hi = this.recent.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.recent[mid]!.seq > seq) hi = mid;
        else lo = mid + 1;
      }
      return this.recent.slice(lo, lo + limit);
    }
    return this.reader.after(seq, limit);
  }

  /** Resolves when events after `seq` may be there, or after `ms`. */
  wait(seq: number, ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.head !== null && seq >= this.base && seq < this.head) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        seq,
        done: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, ms);
      // The first feed, or one far ahead of a shared read left idle without feeds: start afresh there
      // rather than read the whole stretch in between into memory.
      if (this.head === null || (this.waiters.size === 0 && !this.reading && seq > this.head + RECENT)) {
        this.head = seq;
        this.base = seq;
        this.recent = [];
      }
      this.waiters.add(waiter);
      this.watch ??= this.store.watchEvents?.(() => this.wake());
      if (this.missed) this.wake();
      else if (this.timer === undefined && !this.reading) this.schedule();
    });
  }

  /** Events may have been committed: one read of the log for every waiting feed. */
  wake(): void {
    if (this.closed || this.head === null) return;
    // Between two waits of a feed (it reads, sends, waits again) nobody waits: remember the wake-up,
    // or the event would wait for the next safety poll.
    this.missed = this.waiters.size === 0;
    if (this.missed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.reading = true;
    void this.readLog().finally(() => {
      this.reading = false;
      this.schedule();
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watch?.close();
    for (const w of [...this.waiters]) w.done();
  }

  private async readLog(): Promise<void> {
    try {
      do {
        this.again = false;
        let page: { events: StoredEvent[]; heldBack: boolean };
        do {
          this.reads++;
          page = await this.reader.read(this.head!, PAGE);
          this.take(page.events);
        } while (page.events.length === PAGE && !this.closed);
        this.heldBack = page.heldBack;
      } while (this.again && !this.closed);
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.onError(err);
      this.failing = true;
    }
  }

  private take(events: StoredEvent[]): void {
    if (events.length === 0) return;
    this.recent.push(...events);
    this.head = events.at(-1)!.seq;
    if (this.recent.length > RECENT) {
      const dropped = this.recent.splice(0, this.recent.length - RECENT);
      this.base = dropped.at(-1)!.seq;
    }
    for (const w of [...this.waiters]) if (w.seq < this.head) w.done();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.waiters.size === 0) return;
    const live = this.watch?.live ?? false;
    const ms = this.heldBack ? GAP_RETRY_MS : this.failing || !live ? this.fastPollMs : this.pollMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }
}
