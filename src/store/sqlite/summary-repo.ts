// The reports' summaries on the embedded store: reads on the read connection, writes as one queued
// write (see access-repo.ts for why writes go through the store's queue).

import type Database from 'better-sqlite3';
import type { DoctorDayEvent } from '../../engine/index.ts';
import type { DayKey } from '../store.ts';
import { dayKeyOf, type DaySummaryWrite, type StoredDaySummary, type SummaryRepository } from '../summary-repo.ts';
import type { QueuedWrite } from './access-repo.ts';

interface Row {
  doctor_id: string;
  date: string;
  day_version: number;
  version: number | null;
  format: number | null;
  summary: string | null;
}

export class SqliteSummaryRepository implements SummaryRepository {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly write: QueuedWrite,
  ) {}

  /** Prepared on first use: the tables exist only after migrate. */
  private sql(db: Database.Database, text: string): Database.Statement {
    const key = `${db === this.writer ? 'w' : 'r'}:${text}`;
    let stmt = this.statements.get(key);
    if (!stmt) this.statements.set(key, (stmt = db.prepare(text)));
    return stmt;
  }

  async daysBetween(from: string, to: string): Promise<StoredDaySummary[]> {
    const rows = this.sql(
      this.reader,
      `SELECT d.doctor_id, d.date, d.version AS day_version, s.version, s.format, s.summary
         FROM doctor_days d LEFT JOIN day_summaries s ON s.doctor_id = d.doctor_id AND s.date = d.date
        WHERE d.date BETWEEN ? AND ? ORDER BY d.date, d.doctor_id`,
    ).all(from, to) as Row[];
    return rows.map((r) => ({
      doctorId: r.doctor_id,
      date: r.date,
      dayVersion: r.day_version,
      summary: r.summary === null ? null : { version: r.version!, format: r.format!, json: r.summary },
    }));
  }

  async staleDays(from: string, to: string, format: number): Promise<DayKey[]> {
    const rows = this.sql(
      this.reader,
      `SELECT d.doctor_id, d.date
         FROM doctor_days d LEFT JOIN day_summaries s ON s.doctor_id = d.doctor_id AND s.date = d.date
        WHERE d.date BETWEEN ? AND ? AND (s.version IS NULL OR s.version <> d.version OR s.format < ?)
        ORDER BY d.date, d.doctor_id`,
    ).all(from, to, format) as { doctor_id: string; date: string }[];
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async dayLogs(keys: readonly DayKey[]): Promise<Map<string, DoctorDayEvent[]>> {
    const stmt = this.sql(this.reader, 'SELECT payload FROM events WHERE doctor_id = ? AND date = ? ORDER BY position').pluck();
    const out = new Map<string, DoctorDayEvent[]>();
    // One snapshot for all of them (a read transaction on the read connection).
    this.reader.transaction(() => {
      for (const k of keys) out.set(dayKeyOf(k), (stmt.all(k.doctorId, k.date) as string[]).map((p) => JSON.parse(p) as DoctorDayEvent));
    })();
    return out;
  }

  async putSummaries(rows: readonly DaySummaryWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await this.write(() => {
      const stmt = this.sql(
        this.writer,
        `INSERT INTO day_summaries (doctor_id, date, version, format, summary) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (doctor_id, date) DO UPDATE SET version = excluded.version, format = excluded.format, summary = excluded.summary
         WHERE excluded.version > day_summaries.version OR (excluded.version = day_summaries.version AND excluded.format > day_summaries.format)`,
      );
      for (const r of rows) stmt.run(r.doctorId, r.date, r.version, r.format, r.json);
    });
  }
}
