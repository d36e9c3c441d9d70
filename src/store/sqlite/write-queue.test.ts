// The write queue tells its observer of every group it commits: how many works, and how long COMMIT
// (with its fsync) took.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreObserver } from '../store.ts';
import { WriteQueue } from './write-queue.ts';

/** Records what the queue reports. */
function recorder() {
  const batches: { size: number; seconds: number }[] = [];
  const observer: StoreObserver = {
    commitBatch: (size, seconds) => batches.push({ size, seconds }),
    transaction: () => {},
    lockWait: () => {},
  };
  return { batches, observer };
}

describe('WriteQueue metrics', () => {
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opd-write-queue-'));
    db = new Database(join(dir, 'q.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (n INTEGER NOT NULL)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (n: number) => async () => {
    db.prepare('INSERT INTO t (n) VALUES (?)').run(n);
    return n;
  };

  it('sees works queued in one turn as one batch of that size', async () => {
    const { batches, observer } = recorder();
    const sut = new WriteQueue(db, 64, observer);
    const done = await Promise.all([1, 2, 3, 4, 5].map((n) => sut.push(insert(n))));
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(batches.map((b) => b.size)).toEqual([5]);
    expect(batches[0]!.seconds).toBeGreaterThanOrEqual(0);
    expect(batches[0]!.seconds).toBeLessThan(60);
    expect(sut.commits).toBe(1);
  });

  it('counts a work that failed in its group, and a group that never committed not at all', async () => {
    const { batches, observer } = recorder();
    const sut = new WriteQueue(db, 64, observer);
    const failing = sut.push(async () => {
      throw new Error('refused');
    });
    const results = await Promise.allSettled([sut.push(insert(1)), failing, sut.push(insert(2))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches.map((b) => b.size)).toEqual([3]);
    // COMMIT fails (the work ended the transaction itself): nothing was committed, nothing is reported.
    await expect(sut.push(async () => db.exec('COMMIT'))).rejects.toThrow();
    expect(batches.map((b) => b.size)).toEqual([3]);
  });

  it('sees one batch per work when group commit is off', async () => {
    const { batches, observer } = recorder();
    const sut = new WriteQueue(db, 1, observer);
    await Promise.all([1, 2, 3].map((n) => sut.push(insert(n))));
    expect(batches.map((b) => b.size)).toEqual([1, 1, 1]);
  });
});
