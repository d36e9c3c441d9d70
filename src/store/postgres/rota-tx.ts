// The rota tables (rota-repo.ts) on PostgreSQL, inside one of the store's transactions: each call is
// one message on the transaction's connection (after the writes waiting for it).

import type pg from 'pg';
import { EVERY_DOCTOR, toClosed, type ClosedColumns, type ClosedDate, type MadeSlot, type RotaRecord, type RotaSession, type RotaTransaction } from '../rota-repo.ts';
import type { DayKey } from '../store.ts';
import { integer, literal } from './postgres-sql.ts';

type Send = (statement: string) => Promise<pg.QueryResult>;

export class PostgresRotaTransaction implements RotaTransaction {
  constructor(private readonly send: Send) {}

  async getRota(doctorId: string): Promise<RotaRecord | null> {
    const { rows } = await this.send(`SELECT sessions, updated_at FROM rotas WHERE doctor_id = ${literal(doctorId)}`);
    const row = rows[0] as { sessions: string; updated_at: string } | undefined;
    return row ? { doctorId, sessions: JSON.parse(row.sessions) as RotaSession[], updatedAt: Number(row.updated_at) } : null;
  }

  async putRota(rota: RotaRecord): Promise<void> {
    await this.send(
      `INSERT INTO rotas (doctor_id, sessions, updated_at) VALUES (${literal(rota.doctorId)}, ${literal(JSON.stringify(rota.sessions))}, ${integer(rota.updatedAt)})
       ON CONFLICT (doctor_id) DO UPDATE SET sessions = excluded.sessions, updated_at = excluded.updated_at`,
    );
  }

  async rotaDoctors(): Promise<string[]> {
    const { rows } = await this.send('SELECT doctor_id FROM rotas ORDER BY doctor_id COLLATE "C"');
    return (rows as { doctor_id: string }[]).map((r) => r.doctor_id);
  }

  async madeDay(key: DayKey): Promise<MadeSlot[] | null> {
    const { rows } = await this.send(`SELECT slots FROM rota_days WHERE doctor_id = ${literal(key.doctorId)} AND date = ${literal(key.date)}`);
    const row = rows[0] as { slots: string } | undefined;
    return row ? (JSON.parse(row.slots) as MadeSlot[]) : null;
  }

  async putMadeDay(key: DayKey, slots: MadeSlot[], at: number): Promise<void> {
    await this.send(
      `INSERT INTO rota_days (doctor_id, date, slots, generated_at) VALUES (${literal(key.doctorId)}, ${literal(key.date)}, ${literal(JSON.stringify(slots))}, ${integer(at)})
       ON CONFLICT (doctor_id, date) DO UPDATE SET slots = excluded.slots, generated_at = excluded.generated_at`,
    );
  }

  async closedDates(from: string, to: string): Promise<ClosedDate[]> {
    const { rows } = await this.send(
      `SELECT date, doctor_id, reason, created_at FROM closed_dates WHERE date >= ${literal(from)} AND date <= ${literal(to)}
       ORDER BY date, doctor_id <> '*', doctor_id COLLATE "C"`,
    );
    return (rows as ClosedColumns[]).map(toClosed);
  }

  async putClosedDate(c: ClosedDate): Promise<boolean> {
    const result = await this.send(
      `INSERT INTO closed_dates (date, doctor_id, reason, created_at) VALUES (${literal(c.date)}, ${literal(c.doctorId ?? EVERY_DOCTOR)}, ${literal(c.reason)}, ${integer(c.createdAt)}) ON CONFLICT DO NOTHING`,
    );
    return result.rowCount === 1;
  }

  async deleteClosedDate(date: string, doctorId: string | null): Promise<boolean> {
    const result = await this.send(`DELETE FROM closed_dates WHERE date = ${literal(date)} AND doctor_id = ${literal(doctorId ?? EVERY_DOCTOR)}`);
    return result.rowCount === 1;
  }
}
