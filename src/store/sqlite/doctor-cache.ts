// The doctors read inside write transactions, kept from one transaction to the next. A booking reads
// its doctor under the day's lock (the policy must be the one committed last, whoever changed it),
// which on SQLite was one statement per booking, for a row that changes a few times a year.
//
// A kept row is as good as a read while nothing else wrote to the database: another connection's
// commit (another process on the same file: a second server, a command line tool) changes the writer
// connection's `PRAGMA data_version`, checked once per group of transactions at BEGIN IMMEDIATE (no
// other connection can commit while the group holds the write lock); this store's own writes to
// `doctors` forget every kept row and keep none until the group ends, because the group may still
// roll them back.

import type { DoctorRecord } from '../store.ts';

export class DoctorCache {
  private readonly rows = new Map<string, DoctorRecord>();
  /** The writer's data_version when the rows were last known good. */
  private dataVersion: number | null = null;
  /** A doctor was written in the current group: read through until its end. */
  private written = false;

  constructor(private readonly readDataVersion: () => number) {}

  /** At the start of every group (after BEGIN IMMEDIATE). */
  begin(): void {
    const version = this.readDataVersion();
    if (version !== this.dataVersion || this.written) this.rows.clear();
    this.dataVersion = version;
    this.written = false;
  }

  /** Before this connection writes a doctor. */
  forget(): void {
    this.rows.clear();
    this.written = true;
  }

  /** The doctor, from the rows kept, else `load`ed (and kept, unless written in this group; a missing doctor is never kept). */
  read(id: string, load: (id: string) => DoctorRecord | null): DoctorRecord | null {
    if (this.written) return load(id);
    const kept = this.rows.get(id);
    if (kept) return kept;
    const row = load(id);
    if (row) this.rows.set(id, row);
    return row;
  }
}
