// The live feeds of one server share one read of the log per wake-up: many open feeds cost the
// store about what one does.

import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createTokenDesk } from './token-desk.ts';
import type { FeedEvent, TokenDesk } from './types.ts';

const FEEDS = 300;

/** The store, counting its reads of the log. */
function counting(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'eventsAfter') return (...args: Parameters<Store['eventsAfter']>) => (reads++, target.eventsAfter(...args));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, reads: () => reads };
}

/** A feed as the events route runs it: read after `last`, then wait. */
async function feed(desk: TokenDesk, from: number, until: (events: FeedEvent[]) => boolean, stop: () => boolean): Promise<FeedEvent[]> {
  const got: FeedEvent[] = [];
  let last = from;
  while (!until(got) && !stop()) {
    const page = await desk.eventsAfter(last, 500);
    got.push(...page);
    if (page.length > 0) last = page.at(-1)!.seq;
    else await desk.waitForEvents(last, 1_000);
  }
  return got;
}

describe('live feeds of one server', () => {
  let store: Store | undefined;
  let desk: TokenDesk | undefined;
  afterEach(async () => {
    await desk?.close();
    await store?.close();
  });

  it(`share one read of the log per wake-up (${FEEDS} feeds, one booking)`, async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    const count = counting(store);
    desk = createTokenDesk({ store: count.store, timeZone: 'Asia/Kolkata', clock: 'manual', startAt: new Date('2026-03-10T08:00:00+05:30'), tickEveryMs: 0 });
    const doctor = await desk.createDoctor({ name: 'Dr Feed', department: 'General Medicine' });
    const from = await desk.latestSeq();
    let done = false;
    const feeds = Array.from({ length: FEEDS }, () => feed(desk!, from, (got) => got.some((e) => e.type === 'TokenIssued'), () => done));
    // Every feed has read once and is waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = count.reads();
    const token = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'P' }, date: '2026-03-10' });
    const timeout = setTimeout(() => (done = true), 20_000);
    const got = await Promise.all(feeds);
    clearTimeout(timeout);
    for (const events of got) expect(events.find((e) => e.type === 'TokenIssued')?.tokenId).toBe(token.id);
    // One read for the wake-up, perhaps one more for a safety poll: never one per feed.
    expect(count.reads() - before).toBeLessThanOrEqual(3);
  });
});
