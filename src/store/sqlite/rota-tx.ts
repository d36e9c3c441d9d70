// The rota tables (rota-repo.ts) on SQLite, inside one of the store's transactions.

import type Database from 'better-sqlite3';
import { EVERY_DOCTOR, toClosed, type ClosedColumns, type ClosedDate, type MadeSlot, type RotaRecord, type RotaSession, type RotaTransaction } from '../rota-repo.ts';
import type { DayKey } from '../store.ts';

type Run = <T>(what: () => T) => Promise<T>;
type Prepare = (sql: string) => Database.Statement;


export class SqliteRotaTransaction implements RotaTransaction {
  constructor(
    private readonly prepare: Prepare,
    private readonly run: Run,
  ) {}

  getRota(doctorId: string): Promise<RotaRecord | null> {
    return this.run(() => {
      const row = this.prepare('SELECT sessions, updated_at FROM rotas WHERE doctor_id = ?').get(doctorId) as { sessions: string; updated_at: number } | undefined;
      return row ? { doctorId, sessions: JSON.parse(row.sessions) as RotaSession[], updatedAt: row.updated_at } : null;
    });
  }

  putRota(rota: RotaRecord): Promise<void> {
    return this.run(() => {
      this.prepare(
        `INSERT INTO rotas (doctor_id, sessions, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (doctor_id) DO UPDATE SET sessions = excluded.sessions, updated_at = excluded.updated_at`,
      ).run(rota.doctorId, JSON.stringify(rota.sessions), rota.updatedAt);
    });
  }

  rotaDoctors(): Promise<string[]> {
    return this.run(() => this.prepare('SELECT doctor_id FROM rotas ORDER BY doctor_id').pluck().all() as string[]);
  }

  madeDay(key: DayKey): Promise<MadeSlot[] | null> {
    return this.run(() => {
      const slots = this.prepare('SELECT slots FROM rota_days WHERE doctor_id = ? AND date = ?').pluck().get(key.doctorId, key.date) as string | undefined;
      return slots === undefined ? null : (JSON.parse(slots) as MadeSlot[]);
    });
  }

  putMadeDay(key: DayKey, slots: MadeSlot[], at: number): Promise<void> {
    return this.run(() => {
      this.prepare(
        `INSERT INTO rota_days (doctor_id, date, slots, generated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (doctor_id, date) DO UPDATE SET slots = excluded.slots, generated_at = excluded.generated_at`,
      ).run(key.doctorId, key.date, JSON.stringify(slots), at);
    });
  }

  closedDates(from: string, to: string): Promise<ClosedDate[]> {
    return this.run(() => {
      const rows = this.prepare("SELECT * FROM closed_dates WHERE date >= ? AND date <= ? ORDER BY date, doctor_id <> '*', doctor_id").all(from, to) as ClosedColumns[];
      return rows.map(toClosed);
    });
  }

  putClosedDate(c: ClosedDate): Promise<boolean> {
    return this.run(() => {
      const { changes } = this.prepare('INSERT INTO closed_dates (date, doctor_id, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
        c.date,
        c.doctorId ?? EVERY_DOCTOR,
        c.reason,
        c.createdAt,
      );
      return changes === 1;
    });
  }

  deleteClosedDate(date: string, doctorId: string | null): Promise<boolean> {
    return this.run(() => this.prepare('DELETE FROM closed_dates WHERE date = ? AND doctor_id = ?').run(date, doctorId ?? EVERY_DOCTOR).changes === 1);
  }
}
