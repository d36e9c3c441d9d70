// Serializes the writes of one SQLite connection and commits them in groups.
//
// better-sqlite3 runs on the one JS thread, but a transaction's work is async: without a queue two
// works would interleave their statements inside one SQLite transaction. So works run one at a
// time, in arrival order. Works that queue up while one runs join its SQLite transaction (group
// commit: one fsync for the group), each inside its own SAVEPOINT, so a work that throws is rolled
// back alone and the others still commit. Every work's promise settles only after COMMIT returned,
// so nobody is told "done" before it is on disk; if COMMIT fails, every work of the group fails.
// Grouped works still see each other's writes in order, exactly as if they had run one by one.

import type Database from 'better-sqlite3';
import { NO_STORE_OBSERVER, type StoreObserver } from '../store.ts';

interface Queued {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { item: Queued; ok: true; value: unknown } | { item: Queued; ok: false; error: unknown };

export class WriteQueue {
  private readonly waiting: Queued[] = [];
  /** Set and cleared inside drain() itself, so no push can slip between its last check and its end. */
  private running = false;
  private drained: Promise<void> = Promise.resolve();
  /** Transactions committed: lets tests and benchmarks see how works were grouped. */
  commits = 0;

  constructor(
    private readonly db: Database.Database,
    /** Most works per SQLite transaction; 1 turns group commit off. */
    private readonly maxGroup: number,
    private readonly observer: StoreObserver = NO_STORE_OBSERVER,
    /** Called at the start of every group, inside its transaction (the store checks its kept doctors). */
    private readonly onBegin: () => void = () => {},
  ) {
    if (!Number.isInteger(maxGroup) || maxGroup < 1) throw new Error(`maxGroup must be a positive integer, got ${maxGroup}`);
  }

  push<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) this.drained = this.drain();
    });
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running) await this.drained;
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
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      // Busy beyond busy_timeout (another process holds the write lock) or worse: the next work in
      // line fails; the rest stay queued and try again.
      this.waiting.shift()!.reject(error);
      return;
    }
    try {
      this.onBegin();
    } catch (error) {
      rollback(db);
      this.waiting.shift()!.reject(error);
      return;
    }
    const outcomes: Outcome[] = [];
    let broken: unknown = null;
    while (outcomes.length < this.maxGroup && broken === null) {
      if (this.waiting.length === 0) {
        // A request's work runs in the microtasks after its own socket callback, so the queue is
        // empty whenever a work ends. Before paying for the fsync, let the event loop read the
        // requests that arrived meanwhile once: they join this commit. Nobody is answered before it.
        if (this.maxGroup === 1) break;
        await new Promise((resolve) => setImmediate(resolve));
        if (this.waiting.length === 0) break;
      }
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
    const committing = performance.now();
    const committed = broken === null ? commit(db) : (rollback(db), broken);
    if (committed === null) {
      this.commits++;
      this.observer.commitBatch(outcomes.length, (performance.now() - committing) / 1000);
    }
    for (const o of outcomes) {
      if (!o.ok) o.item.reject(o.error);
      else if (committed === null) o.item.resolve(o.value);
      else o.item.reject(committed);
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
