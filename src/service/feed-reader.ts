// Reads the event log in sequence order for the live feed. With several writers (PostgreSQL), a
// sequence number is taken before its transaction commits, so a later number can become visible
// before an earlier one. A reader that skipped the gap would lose that event for good; this one stops
// at a gap and lets it settle, and only passes it after a while (a rolled-back transaction's number
// is never filled).

import type { Store, StoredEvent } from '../store/store.ts';

/** Longer than any transaction of this service takes. */
const SETTLE_MS = 3_000;

export class FeedReader {
  private readonly gapsSeenAt = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async after(seq: number, limit: number): Promise<StoredEvent[]> {
    const events = await this.store.eventsAfter(seq, limit);
    const out: StoredEvent[] = [];
    let prev = seq;
    for (const e of events) {
      if (e.seq !== prev + 1 && !this.settled(prev + 1)) break;
      out.push(e);
      prev = e.seq;
    }
    if (this.gapsSeenAt.size > 10_000) this.gapsSeenAt.clear();
    return out;
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
