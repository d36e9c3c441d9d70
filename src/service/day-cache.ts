// Doctor-days kept in memory between requests, brought up to date from the event log. Writers and
// readers keep separate copies: a writer's copy changes inside a transaction that may still fail,
// and a reader must only ever see committed events.

import { apply, openDoctorDay, type DoctorDay, type DoctorDayEvent } from '../engine/index.ts';
import type { DayKey } from '../store/store.ts';

export interface CachedDay {
  day: DoctorDay;
  /** How many of the doctor-day's events have been applied. */
  version: number;
}

type Fetch = (fromVersion: number) => Promise<DoctorDayEvent[]>;

/** Beyond this many doctor-days, the least recently used are dropped (and rebuilt from the log if needed). */
const MAX_DAYS = 5_000;

export class DayCache {
  private readonly writers = new Map<string, CachedDay>();
  private readonly readers = new Map<string, CachedDay>();
  private readonly queues = new Map<string, Promise<unknown>>();

  private entryFor(key: DayKey, code: string): CachedDay {
    return { day: openDoctorDay({ doctorId: key.doctorId, date: key.date, code }), version: 0 };
  }

  /**
   * Runs one write at a time per doctor-day in this process (the store serializes across processes).
   * If the write fails, its copy may hold uncommitted changes: it is dropped.
   */
  guard<T>(key: DayKey, write: () => Promise<T>): Promise<T> {
    return this.serially(`w|${key.doctorId}|${key.date}`, async () => {
      try {
        return await write();
      } catch (err) {
        this.writers.delete(id(key));
        throw err;
      }
    });
  }

  /**
   * How many events the writer's copy holds (0 when there is none): where its catch-up read starts.
   * Stable inside `guard`, where the only writer of this day in this process runs.
   */
  writerVersion(key: DayKey): number {
    return this.writers.get(id(key))?.version ?? 0;
  }

  /** The writer's copy at exactly `version` events (the version read under the day's lock). */
  async load(key: DayKey, code: string, version: number, fetch: Fetch): Promise<CachedDay> {
    return this.catchUp(this.writers, key, code, version, fetch);
  }

  /** The reader's copy, up to date with what is committed. */
  read(key: DayKey, code: string, fetch: Fetch): Promise<DoctorDay> {
    return this.serially(`r|${key.doctorId}|${key.date}`, async () => (await this.catchUp(this.readers, key, code, null, fetch)).day);
  }

  /**
   * Drops both copies of every cached doctor-day `over` says yes to (a finished day holds no memory;
   * it is rebuilt from the log if it is touched again). A write under way keeps its own copy and
   * finishes on it; the next one rebuilds. Returns the days dropped.
   */
  forget(over: (day: DoctorDay) => boolean): DayKey[] {
    // Judged on either copy (a reader's may be behind the writer's): the day goes from both.
    const dropped = new Map<string, DayKey>();
    for (const map of [this.writers, this.readers]) {
      for (const [k, entry] of map) if (over(entry.day)) dropped.set(k, { doctorId: entry.day.doctorId, date: entry.day.date });
    }
    for (const k of dropped.keys()) {
      this.writers.delete(k);
      this.readers.delete(k);
    }
    return [...dropped.values()];
  }

  /** How many doctor-days are held (writers' and readers' copies counted apart). */
  get size(): number {
    return this.writers.size + this.readers.size;
  }

  private async catchUp(map: Map<string, CachedDay>, key: DayKey, code: string, version: number | null, fetch: Fetch): Promise<CachedDay> {
    const k = id(key);
    let entry = map.get(k);
    if (!entry || (version !== null && entry.version > version)) entry = this.entryFor(key, code);
    if (version === null || entry.version < version) {
      const events = await fetch(entry.version);
      for (const e of events) apply(entry.day, e);
      entry.version += events.length;
    }
    map.delete(k); // re-insert: Map order is recency order
    map.set(k, entry);
    if (map.size > MAX_DAYS) map.delete(map.keys().next().value!);
    return entry;
  }

  private serially<T>(queue: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(queue) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(queue, tail);
    void tail.then(() => {
      if (this.queues.get(queue) === tail) this.queues.delete(queue);
    });
    return run;
  }
}

function id(key: DayKey): string {
  return `${key.doctorId}|${key.date}`;
}
