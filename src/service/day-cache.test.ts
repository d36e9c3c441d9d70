// The doctor-days a server keeps in memory (day-cache.ts): each day its own, brought up to date from
// exactly where its copy stopped, rebuilt when dropped, one write at a time per day and never one day
// waiting for another. Found unguarded by the service's mutation run (docs/testing.md).
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type DoctorDayEvent } from '../engine/index.ts';
import { DayCache } from './day-cache.ts';

const DATE = '2026-03-10';
const key = (doctorId: string) => ({ doctorId, date: DATE });
const POLICY: DoctorDayEvent = { type: 'PolicyChanged', at: Date.UTC(2026, 2, 10, 2, 30), policy: DEFAULT_POLICY };

/** A log of one event per day: the fetches it answers, as [doctorId, fromVersion]. */
function oneEventLog() {
  const fetches: [string, number][] = [];
  const fetch = (doctorId: string) => async (from: number) => {
    fetches.push([doctorId, from]);
    return from === 0 ? [POLICY] : [];
  };
  return { fetches, fetch };
}

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The promise, or a failure if it has not settled within 2 seconds (it is waiting for something it must not). */
function soon<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} waited`)), 2_000)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('the day cache', () => {
  it('keeps each doctor-day apart', async () => {
    const cache = new DayCache();
    const log = oneEventLog();
    const a = await cache.read(key('doc-a'), 'GA', log.fetch('doc-a'));
    const b = await cache.read(key('doc-b'), 'GB', log.fetch('doc-b'));
    expect([a.doctorId, a.code, b.doctorId, b.code]).toEqual(['doc-a', 'GA', 'doc-b', 'GB']);
    expect(log.fetches).toEqual([
      ['doc-a', 0],
      ['doc-b', 0],
    ]);
  });

  it('a writer’s copy reads only the events after its version, none when it is current, and starts again when it is ahead', async () => {
    const cache = new DayCache();
    const log = oneEventLog();
    const k = key('doc-a');
    expect(cache.writerVersion(k)).toBe(0);
    expect((await cache.load(k, 'GA', 1, log.fetch('doc-a'))).version).toBe(1);
    expect((await cache.load(k, 'GA', 1, log.fetch('doc-a'))).version).toBe(1); // current: no read
    expect(cache.writerVersion(k)).toBe(1);
    // The day's lock says 0 events (a copy ahead of the log, e.g. a commit that did not happen): rebuilt.
    const rebuilt = await cache.load(k, 'GA', 0, log.fetch('doc-a'));
    expect([rebuilt.version, rebuilt.day.policy]).toEqual([0, null]);
    expect(log.fetches).toEqual([['doc-a', 0]]);
  });

  it('a reader catches up from where its copy stopped', async () => {
    const cache = new DayCache();
    const log = oneEventLog();
    await cache.read(key('doc-a'), 'GA', log.fetch('doc-a'));
    const day = await cache.read(key('doc-a'), 'GA', log.fetch('doc-a'));
    expect(day.policy).toEqual(DEFAULT_POLICY);
    expect(log.fetches).toEqual([
      ['doc-a', 0],
      ['doc-a', 1],
    ]);
  });

  it('keeps at most 5,000 days: the least recently used is dropped and rebuilt from the start of its log', async () => {
    const cache = new DayCache();
    const log = oneEventLog();
    const read = (id: string) => cache.read(key(id), 'GM', log.fetch(id));
    await read('first');
    for (let i = 1; i < 5_000; i++) await read(`d${i}`);
    await read('first'); // 5,000 days: all kept, and 'first' is now the most recent
    await read('d5000'); // the 5,001st drops the least recently used: d1
    await read('first');
    await read('d1');
    expect(log.fetches.filter(([id]) => id === 'first' || id === 'd1')).toEqual([
      ['first', 0],
      ['d1', 0],
      ['first', 1],
      ['first', 1],
      ['d1', 0],
    ]);
  });

  it('a write that fails drops the writer’s copy (it may hold what was not committed); one that succeeds keeps it', async () => {
    const cache = new DayCache();
    const log = oneEventLog();
    const k = key('doc-a');
    await cache.guard(k, () => cache.load(k, 'GA', 1, log.fetch('doc-a')));
    expect(cache.writerVersion(k)).toBe(1);
    await expect(cache.guard(k, async () => Promise.reject(new Error('commit failed')))).rejects.toThrow('commit failed');
    expect(cache.writerVersion(k)).toBe(0);
  });

  it('writes to one day wait for each other in order; a write or read of another day does not wait', async () => {
    const cache = new DayCache();
    const order: string[] = [];
    const first = gate();
    const second = gate();
    const w1 = cache.guard(key('doc-a'), async () => {
      await first.opened;
      order.push('a1');
    });
    const w2 = cache.guard(key('doc-a'), async () => {
      order.push('a2 starts');
      await second.opened;
      order.push('a2');
    });
    await soon(cache.guard(key('doc-b'), async () => order.push('b')), 'the write of doc-b');
    await soon(cache.read(key('doc-b'), 'GB', async () => []), 'the read of doc-b');
    order.push('b read');
    first.open();
    await w1;
    await new Promise((r) => setTimeout(r, 10));
    // a1 is done and a2 runs: a third write waits for a2, though the queue of a1 is finished.
    const w3 = cache.guard(key('doc-a'), async () => order.push('a3'));
    await new Promise((r) => setTimeout(r, 10));
    second.open();
    await Promise.all([w2, w3]);
    expect(order).toEqual(['b', 'b read', 'a1', 'a2 starts', 'a2', 'a3']);
  });

  it('a read never waits for a write, nor for a read of another day', async () => {
    const cache = new DayCache();
    const blocked = gate();
    const write = cache.guard(key('doc-a'), () => blocked.opened);
    const slowRead = cache.read(key('doc-b'), 'GB', async () => {
      await blocked.opened;
      return [];
    });
    const day = await soon(cache.read(key('doc-a'), 'GA', async () => []), 'the read of doc-a').finally(() => blocked.open());
    expect(day.doctorId).toBe('doc-a');
    await Promise.all([write, slowRead]);
  });

  it('forgets a day’s queue once its work is done: a server that touched many days keeps no queue for them', async () => {
    // The queues are private; their count is read here because an unbounded map is the whole failure.
    const cache = new DayCache();
    const queues = (cache as unknown as { queues: Map<string, unknown> }).queues;
    const slow = gate();
    const first = cache.guard(key('doc-a'), () => slow.opened);
    const second = cache.guard(key('doc-a'), async () => 'second');
    await cache.read(key('doc-b'), 'GB', async () => []);
    await new Promise((r) => setTimeout(r, 0));
    expect(queues.size).toBe(1); // doc-a's writes are still queued; doc-b's read is done and forgotten
    slow.open();
    await Promise.all([first, second]);
    await new Promise((r) => setTimeout(r, 0));
    expect(queues.size).toBe(0);
  });
});
