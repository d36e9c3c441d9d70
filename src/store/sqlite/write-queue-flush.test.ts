// The flush off the main thread (write-queue.ts): works are answered only after a flush that began
// after their COMMIT; while a flush runs, the works that arrive join one open group; a failed flush
// fails every work it was to cover, rolls back the group open meanwhile and refuses every later work.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.ts';
import { WriteQueue } from './write-queue.ts';

/** A flush the test ends by hand: each call waits until the test resolves or rejects it. */
function manualFlush() {
  const calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const flush = () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject }));
  return { flush, calls };
}

/** Lets the queue run everything it can now (its works, its setImmediate turn), a few times over. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** How a promise stands now, without waiting for it. */
function watch<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = { status: 'pending' };
  promise.then(
    (value) => Object.assign(state, { status: 'fulfilled', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}

describe('WriteQueue with its flush off the main thread', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opd-write-queue-flush-'));
    db = new Database(join(dir, 'q.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (n INTEGER NOT NULL)');
    other = new Database(join(dir, 'q.sqlite'), { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (n: number) => async () => {
    db.prepare('INSERT INTO t (n) VALUES (?)').run(n);
    return n;
  };
  const committed = () => (other.prepare('SELECT n FROM t ORDER BY n').pluck().all() as number[]);

  it('answers a work only after the flush that follows its COMMIT', async () => {
    const { flush, calls } = manualFlush();
    const sut = new WriteQueue(db, 64, undefined, flush);
    const first = watch(sut.push(insert(1)));
    await settle();
    expect(committed()).toEqual([1]);
    expect(calls).toHaveLength(1);
    expect(first.status).toBe('pending');
    calls[0]!.resolve();
    await settle();
    expect(first).toEqual({ status: 'fulfilled', value: 1 });
    expect(sut.commits).toBe(1);
  });

  it('keeps one group open while a flush runs, and commits it (in one COMMIT) once the flush is over', async () => {
    const { flush, calls } = manualFlush();
    const sut = new WriteQueue(db, 64, undefined, flush);
    const first = watch(sut.push(insert(1)));
    await settle();
    expect(calls).toHaveLength(1);
    // Arriving one by one while the first flush runs: they run at once, into one open transaction.
    const later = [2, 3, 4].map((n) => watch(sut.push(insert(n))));
    await settle();
    expect(committed()).toEqual([1]);
    expect(db.inTransaction).toBe(true);
    expect(sut.commits).toBe(1);
    calls[0]!.resolve();
    await settle();
    expect(first.status).toBe('fulfilled');
    expect(committed()).toEqual([1, 2, 3, 4]);
    expect(sut.commits).toBe(2);
    expect(calls).toHaveLength(2);
    expect(later.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
    calls[1]!.resolve();
    await settle();
    expect(later.map((s) => s.value)).toEqual([2, 3, 4]);
    await sut.idle();
  });

  it('fails every work a failed flush was to cover, rolls back the open group and refuses every later work', async () => {
    const { flush, calls } = manualFlush();
    const sut = new WriteQueue(db, 64, undefined, flush);
    const covered = [1, 2].map((n) => watch(sut.push(insert(n))));
    await settle();
    const open = watch(sut.push(insert(3)));
    await settle();
    expect(db.inTransaction).toBe(true);
    calls[0]!.reject(new Error('EIO: the disk failed'));
    await settle();
    for (const s of covered) {
      expect(s.status).toBe('rejected');
      expect(s.error).toBeInstanceOf(StoreUnavailableError);
      expect((s.error as StoreUnavailableError).outcome).toBe('unknown');
    }
    expect(open.status).toBe('rejected');
    expect((open.error as StoreUnavailableError).outcome).toBe('not-committed');
    // The open group was rolled back, not committed on a disk in doubt; no flush was tried for it.
    expect(db.inTransaction).toBe(false);
    expect(committed()).toEqual([1, 2]);
    expect(calls).toHaveLength(1);
    const after = sut.push(insert(4));
    await expect(after).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(after).rejects.toMatchObject({ outcome: 'not-committed' });
    expect(committed()).toEqual([1, 2]);
    await sut.idle();
  });

  it('fails the works of every group committed before a flush failed, not only those it had begun with', async () => {
    const { flush, calls } = manualFlush();
    // maxGroup 1: each work commits alone, the next while the flush runs.
    const sut = new WriteQueue(db, 1, undefined, flush);
    const states = [1, 2, 3].map((n) => watch(sut.push(insert(n))));
    await settle();
    expect(committed()).toEqual([1, 2, 3]);
    expect(calls).toHaveLength(1);
    calls[0]!.reject(new Error('EIO'));
    await settle();
    expect(states.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(states.map((s) => (s.error as StoreUnavailableError).outcome)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(calls).toHaveLength(1);
  });

  it('still fails only the work that threw, and answers the rest of its group after the flush', async () => {
    const { flush, calls } = manualFlush();
    const sut = new WriteQueue(db, 64, undefined, flush);
    const results = [
      watch(sut.push(insert(1))),
      watch(
        sut.push(async () => {
          db.prepare('INSERT INTO t (n) VALUES (?)').run(99);
          throw new Error('refused');
        }),
      ),
      watch(sut.push(insert(2))),
    ];
    await settle();
    expect(results.map((s) => s.status)).toEqual(['pending', 'rejected', 'pending']);
    calls[0]!.resolve();
    await settle();
    expect(results.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual([1, 2]);
  });
});
