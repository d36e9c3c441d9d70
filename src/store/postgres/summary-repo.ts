// The reports' summaries on PostgreSQL: single statements on the pool. The logs of many doctor-days
// are one query (unnest of the keys), the writes one INSERT … ON CONFLICT of many rows.

import type pg from 'pg';
import type { DoctorDayEvent } from '../../engine/index.ts';
import type { DayKey } from '../store.ts';
import { dayKeyOf, type DaySummaryWrite, type StoredDaySummary, type SummaryRepository } from '../summary-repo.ts';
import { storeError } from './postgres-errors.ts';

interface Row {
  doctor_id: string;
  date: string;
  day_version: number;
  version: number | null;
  format: number | null;
  summary: string | null;
}

export class PostgresSummaryRepository implements SummaryRepository {
  constructor(private readonly pool: pg.Pool) {}

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw storeError(error);
    }
  }

  async daysBetween(from: string, to: string): Promise<StoredDaySummary[]> {
    const rows = await this.query<Row>(
      `SELECT d.doctor_id, d.date, d.version AS day_version, s.version, s.format, s.summary
         FROM doctor_days d LEFT JOIN day_summaries s ON s.doctor_id = d.doctor_id AND s.date = d.date
        WHERE d.date BETWEEN $1 AND $2 ORDER BY d.date, d.doctor_id`,
      [from, to],
    );
    return rows.map((r) => ({
      doctorId: r.doctor_id,
      date: r.date,
      dayVersion: Number(r.day_version),
      summary: r.summary === null ? null : { version: Number(r.version), format: Number(r.format), json: r.summary },
    }));
  }

  async staleDays(from: string, to: string, format: number): Promise<DayKey[]> {
    const rows = await this.query<{ doctor_id: string; date: string }>(
      `SELECT d.doctor_id, d.date
         FROM doctor_days d LEFT JOIN day_summaries s ON s.doctor_id = d.doctor_id AND s.date = d.date
        WHERE d.date BETWEEN $1 AND $2 AND (s.version IS NULL OR s.version <> d.version OR s.format < $3)
        ORDER BY d.date, d.doctor_id`,
      [from, to, format],
    );
    return rows.map((r) => ({ doctorId: r.doctor_id, date: r.date }));
  }

  async dayLogs(keys: readonly DayKey[]): Promise<Map<string, DoctorDayEvent[]>> {
    const out = new Map<string, DoctorDayEvent[]>();
    for (const k of keys) out.set(dayKeyOf(k), []);
    if (keys.length === 0) return out;
    const rows = await this.query<{ doctor_id: string; date: string; payload: string }>(
      `SELECT e.doctor_id, e.date, e.payload::text AS payload
         FROM unnest($1::text[], $2::text[]) AS k (doctor_id, date)
         JOIN events e ON e.doctor_id = k.doctor_id AND e.date = k.date
        ORDER BY e.doctor_id, e.date, e.position`,
      [keys.map((k) => k.doctorId), keys.map((k) => k.date)],
    );
    for (const r of rows) out.get(dayKeyOf({ doctorId: r.doctor_id, date: r.date }))!.push(JSON.parse(r.payload) as DoctorDayEvent);
    return out;
  }

  async putSummaries(rows: readonly DaySummaryWrite[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      `INSERT INTO day_summaries (doctor_id, date, version, format, summary)
       SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[])
       ON CONFLICT (doctor_id, date) DO UPDATE SET version = excluded.version, format = excluded.format, summary = excluded.summary
       WHERE excluded.version > day_summaries.version OR (excluded.version = day_summaries.version AND excluded.format > day_summaries.format)`,
      [rows.map((r) => r.doctorId), rows.map((r) => r.date), rows.map((r) => r.version), rows.map((r) => r.format), rows.map((r) => r.json)],
    );
  }
}
