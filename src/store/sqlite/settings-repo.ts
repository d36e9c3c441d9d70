// The settings table on the embedded store: reads on the read connection, writes as works of the
// store's write queue (as the access tables do, sqlite/access-repo.ts).

import Database from 'better-sqlite3';
import type { SettingsRepository } from '../settings-repo.ts';
import type { QueuedWrite } from './access-repo.ts';

export class SqliteSettingsRepository implements SettingsRepository {
  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly write: QueuedWrite,
  ) {}

  async getSetting(key: string): Promise<string | null> {
    const value = this.reader.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    return value ?? null;
  }

  initSetting(key: string, value: string, at: number): Promise<string> {
    return this.write(() => {
      this.writer.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING').run(key, value, at);
      return this.writer.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string;
    });
  }

  async putSetting(key: string, value: string, at: number): Promise<void> {
    await this.write(() => {
      this.writer
        .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
        .run(key, value, at);
    });
  }
}
