// The live feeds of one server share one read of the log per wake-up: many open feeds cost the
// store about what one does.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store, StoredEvent } from '../store/store.ts';
import { FeedHub } from './feed-reader.ts';
import { createTokenDesk } from './token-desk.ts';
import type { FeedEvent, TokenDesk } from './types.ts';
import { ManualClock } from '../time/clock.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';

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
    desk = createTokenDesk({ store: count.store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date('2026-03-10T08:00:00+05:30')) });
    const doctor = await desk.createDoctor({ name: 'Dr Feed', department: 'General Medicine' }, AS_DESK);
    // (a doctor-day with no slot takes no token)
    await desk.createSlot({ doctorId: doctor.id, start: '2026-03-10T09:00:00+05:30', end: '2026-03-10T10:00:00+05:30', capacity: 4 }, AS_DESK);
    const from = await desk.latestSeq();
    let done = false;
    const feeds = Array.from({ length: FEEDS }, () => feed(desk!, from, (got) => got.some((e) => e.type === 'TokenIssued'), () => done));
    // Every feed has read once and is waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = count.reads();
    const token = await desk.issueToken({ doctorId: doctor.id, source: 'WALKIN', patient: { name: 'P' }, date: '2026-03-10' }, AS_DESK);
    const timeout = setTimeout(() => (done = true), 20_000);
    const got = await Promise.all(feeds);
    clearTimeout(timeout);
    for (const events of got) expect(events.find((e) => e.type === 'TokenIssued')?.tokenId).toBe(token.id);
    // One read for the wake-up, perhaps one more for a safety poll: never one per feed.
    expect(count.reads() - before).toBeLessThanOrEqual(3);
  });
});

describe('the shared read of the log', () => {
  it('does not lose a wake-up that comes while no feed is waiting (the next feed to wait reads at once)', async () => {
    vi.useFakeTimers();
    try {
      const log: StoredEvent[] = [];
      let notify: () => void = () => {};
      const store = {
        eventsAfter: async (seq: number, limit: number) => log.filter((e) => e.seq > seq).slice(0, limit),
        watchEvents: (wake: () => void) => ((notify = wake), { live: true, close() {} }),
      } as unknown as Store;
      const sut = new FeedHub(store, { pollMs: 60_000, fastPollMs: 60_000 });
      // A feed waits and gives up after 500 ms, as the events route does between its reads.
      const first = sut.wait(0, 500);
      await vi.advanceTimersByTimeAsync(500);
      await first;
      // Another server commits, and its notification arrives while no feed is waiting.
      log.push({ seq: 1, doctorId: 'd', date: '2026-03-10', event: { type: 'SlotCreated' } } as unknown as StoredEvent);
      notify();
      // The feed waits again: the event must reach it now, not at the next safety poll a minute away.
      let woken = false;
      void sut.wait(0, 30_000).then(() => (woken = true));
      await vi.advanceTimersByTimeAsync(10);
      expect(woken).toBe(true);
      expect((await sut.after(0, 10)).map((e) => e.seq)).toEqual([1]);
      sut.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
