// Serializes the writes of one SQLite connection and commits them in groups.
//
// better-sqlite3 runs on the one JS thread, but a transaction's work is async: without a queue two
// works would interleave their statements inside one SQLite transaction. So works run one at a
// time, in arrival order. Works that queue up while one runs join its SQLite transaction (group
// commit: one fsync for the group), each inside its own SAVEPOINT, so a work that throws is rolled
// back alone and the others still commit. Every work's promise settles only after COMMIT returned,
// so nobody is told "done" before it is on disk; if COMMIT fails, every work of the group fails.
// Grouped works still see each other's writes in order, exactly as if they had run one by one.
//
// The flush off the main thread: with a `flush` given, the connection commits without fsync
// (synchronous=NORMAL: COMMIT only writes the WAL frames to the operating system) and the queue then
// calls `flush` (an fdatasync of the WAL file in libuv's thread pool), which makes every commit
// written before it durable. The works of a group are answered only once a flush that began after
// their COMMIT returned, so the answer still waits for the disk; but the event loop goes on meanwhile:
// while one flush runs, the next group stays open and the works arriving meanwhile run into it, and
// it commits as soon as that flush is over (or it is full). Flushes run one at a time, in commit
// order, so groups are answered in the order they committed. A commit is visible to readers of the
// file (this process's read connection, `opd backup`) from its COMMIT on, before its flush: a crash
// of the process loses nothing of it (the operating system has the frames), only a power cut could,
// and then the log ends at an earlier commit (SQLite's WAL checksums keep a whole prefix), and no
// answer was sent for what is lost. If a flush fails, nobody can know what reached the disk: every
// work waiting for it fails with StoreUnavailableError('unknown'), and the queue refuses every later
// work (the server must be restarted; SQLite then recovers what the disk holds).

import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.ts';
import { NO_STORE_OBSERVER, type StoreObserver } from '../store.ts';

interface Queued {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { item: Queued; ok: true; value: unknown } | { item: Queued; ok: false; error: unknown };

/** A group committed but not yet flushed: its works wait for the flush. */
interface Unflushed {
  outcomes: Outcome[];
  /** When its COMMIT began (performance.now()). */
  committing: number;
}

export class WriteQueue {
  private readonly waiting: Queued[] = [];
  /** Set and cleared inside drain() itself, so no push can slip between its last check and its end. */
  private running = false;
  private drained: Promise<void> = Promise.resolve();
  /** Groups committed, waiting for the next flush (in commit order). */
  private readonly unflushed: Unflushed[] = [];
  /** The flush under way (it never rejects), or null. */
  private flushing: Promise<void> | null = null;
  /** Why a flush failed: from then on every work is refused. */
  private broken: { error: unknown } | null = null;
  /** Called by push: wakes an open group waiting for a flush or for a work. */
  private arrived: (() => void) | null = null;
  /** Transactions committed: lets tests and benchmarks see how works were grouped. */
  commits = 0;

  constructor(
    private readonly db: Database.Database,
    /** Most works per SQLite transaction; 1 turns group commit off. */
    private readonly maxGroup: number,
    private readonly observer: StoreObserver = NO_STORE_OBSERVER,
    /**
     * Makes every commit written so far durable, off the main thread; null when COMMIT itself is
     * durable (synchronous=FULL) or nothing needs to be (a database kept for one run only).
     */
    private readonly flush: (() => Promise<void>) | null = null,
  ) {
    if (!Number.isInteger(maxGroup) || maxGroup < 1) throw new Error(`maxGroup must be a positive integer, got ${maxGroup}`);
  }

  push<T>(work: () => Promise<T>): Promise<T> {
    if (this.broken) return Promise.reject(this.refusal());
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) this.drained = this.drain();
      const arrived = this.arrived;
      this.arrived = null;
      arrived?.();
    });
  }

  /** Resolves once nothing is queued, running or waiting for its flush. */
  async idle(): Promise<void> {
    while (this.running || this.flushing) {
      await this.drained;
      await this.flushing;
    }
  }

  /** What a work gets once a flush failed: it was not committed. */
  private refusal(): StoreUnavailableError {
    return new StoreUnavailableError('not-committed', { cause: this.broken!.error });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.runGroup();
    } finally {
      this.running = false;
    }
  }

  private async runGroup(): Promise<void> {
    const db = this.db;
    if (this.broken) {
      for (const item of this.waiting.splice(0)) item.reject(this.refusal());
      return;
    }
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      // Busy beyond busy_timeout (another process holds the write lock) or worse: the next work in
      // line fails; the rest stay queued and try again.
      this.waiting.shift()!.reject(error);
      return;
    }
    const outcomes: Outcome[] = [];
    let broken: unknown = null;
    while (outcomes.length < this.maxGroup && broken === null) {
      if (!(await this.workWaiting())) break;
      const item = this.waiting.shift()!;
      try {
        db.exec('SAVEPOINT work');
        const value = await item.work();
        db.exec('RELEASE work');
        outcomes.push({ item, ok: true, value });
      } catch (error) {
        outcomes.push({ item, ok: false, error });
        broken = undoWork(db);
      }
    }
    // A flush that failed while this group was open: it must not commit on a disk in doubt.
    if (broken === null && this.broken) broken = this.refusal();
    const committing = performance.now();
    const committed = broken === null ? commit(db) : (rollback(db), broken);
    if (committed === null) this.commits++;
    for (const o of outcomes) {
      if (!o.ok) o.item.reject(o.error);
      else if (committed !== null) o.item.reject(committed);
    }
    if (committed !== null) return;
    if (this.flush === null) {
      this.observer.commitBatch(outcomes.length, (performance.now() - committing) / 1000);
      for (const o of outcomes) if (o.ok) o.item.resolve(o.value);
      return;
    }
    this.unflushed.push({ outcomes, committing });
    this.startFlushing();
  }

  private startFlushing(): void {
    if (this.flushing) return;
    this.flushing = this.flushAll().then(() => {
      this.flushing = null;
      // A group committed between the last loop of flushAll and now.
      if (this.unflushed.length > 0) this.startFlushing();
    });
  }

  /**
   * Whether a work is waiting to join the open group. A request's work runs in the microtasks after
   * its own socket callback, so the queue is empty whenever a work ends. While a flush runs, the group
   * stays open for the works that arrive meanwhile. Then, before committing, the event loop reads the
   * requests that arrived meanwhile once: they join this commit. Nobody is answered before it.
   */
  private async workWaiting(): Promise<boolean> {
    if (this.waiting.length > 0) return true;
    if (this.maxGroup === 1) return false;
    while (this.flushing && this.waiting.length === 0 && !this.broken) {
      await Promise.race([this.flushing, new Promise<void>((resolve) => (this.arrived = resolve))]);
      this.arrived = null;
    }
    if (this.waiting.length === 0) await new Promise((resolve) => setImmediate(resolve));
    return this.waiting.length > 0;
  }

  /** Flushes until no committed group waits, answering each group's works after the flush that covers it. */
  private async flushAll(): Promise<void> {
    while (this.unflushed.length > 0) {
      const groups = this.unflushed.splice(0);
      if (!this.broken) {
        try {
          await this.flush!();
        } catch (error) {
          this.broken = { error };
        }
      }
      for (const g of groups) {
        if (!this.broken) this.observer.commitBatch(g.outcomes.length, (performance.now() - g.committing) / 1000);
        for (const o of g.outcomes) {
          if (!o.ok) continue;
          if (this.broken) o.item.reject(new StoreUnavailableError('unknown', { cause: this.broken.error }));
          else o.item.resolve(o.value);
        }
      }
    }
  }
}

/**
 * Rolls back the savepoint of the work that failed. Returns null when the transaction is still good
 * for the works after it; else the reason it is not (SQLite itself rolls the whole transaction back
 * on some errors, e.g. a full disk or an I/O error).
 */
function undoWork(db: Database.Database): unknown {
  if (!db.inTransaction) return new Error('SQLite rolled the transaction back after an error in it');
  try {
    db.exec('ROLLBACK TO work');
    db.exec('RELEASE work');
    return null;
  } catch (error) {
    return error;
  }
}

function commit(db: Database.Database): unknown {
  try {
    if (!db.inTransaction) throw new Error('SQLite rolled the transaction back before it could commit');
    db.exec('COMMIT');
    return null;
  } catch (error) {
    rollback(db);
    return error;
  }
}

function rollback(db: Database.Database): void {
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
  } catch {
    // Nothing is left to undo by hand: a failed ROLLBACK leaves SQLite to undo the transaction
    // (it never commits), and the callers already get the error that brought us here.
  }
}
