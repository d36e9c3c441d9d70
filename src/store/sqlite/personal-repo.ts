// Personal data on the embedded store (see ../personal-repo.ts). Reads on the read connection;
// writes through the store's write queue, each one synchronous function (as in access-repo.ts).

import Database from 'better-sqlite3';
import { searchSql, toHit, toPersonal, type ErasedBefore, type HitColumns, type PersonalColumns, type PersonalRepository, type PersonalSearch, type SearchHit } from '../personal-repo.ts';
import type { PersonalRow } from '../personal.ts';
import type { DayKey } from '../store.ts';
import type { QueuedWrite } from './access-repo.ts';

export class SqlitePersonalRepository implements PersonalRepository {
  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly write: QueuedWrite,
  ) {}

  daySecret(key: DayKey, candidate: string): Promise<string> {
    return this.write(() => {
      this.writer.prepare('INSERT INTO day_secrets (doctor_id, date, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(key.doctorId, key.date, candidate);
      return this.writer.prepare('SELECT secret FROM day_secrets WHERE doctor_id = ? AND date = ?').pluck().get(key.doctorId, key.date) as string;
    });
  }

  async ofDay(key: DayKey): Promise<PersonalRow[]> {
    const rows = this.reader.prepare('SELECT * FROM patients WHERE date = ? AND doctor_id = ?').all(key.date, key.doctorId) as PersonalColumns[];
    return rows.map(toPersonal);
  }

  async ofTokens(tokenIds: readonly string[]): Promise<PersonalRow[]> {
    if (tokenIds.length === 0) return [];
    const rows = this.reader.prepare(`SELECT * FROM patients WHERE token_id IN (${tokenIds.map(() => '?').join(', ')})`).all(...tokenIds) as PersonalColumns[];
    return rows.map(toPersonal);
  }

  eraseBefore(date: string, createdBefore: string): Promise<ErasedBefore> {
    return this.write(() => ({
      tokens: this.writer.prepare('DELETE FROM patients WHERE date < ?').run(date).changes,
      days: this.writer.prepare('DELETE FROM day_secrets WHERE date < ?').run(date).changes,
      answers: this.writer.prepare('DELETE FROM idempotency WHERE created_at < ?').run(createdBefore).changes,
    }));
  }

  async search(q: PersonalSearch): Promise<SearchHit[]> {
    const { sql, args } = searchSql(q);
    return (this.reader.prepare(sql).all(...args) as HitColumns[]).map(toHit);
  }
}
