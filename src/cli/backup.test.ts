// `opd backup` and `opd restore` as commands: what they print, and the exit codes of a refusal (1)
// and of a store they are not for (2). What they do to the files is tested in
// src/store/sqlite/backup.test.ts, under load in test/backup.test.ts.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenDesk } from '../service/token-desk.ts';
import { openStore } from '../store/open-store.ts';
import { busyDay, opd } from '../../test/kits/cli/check-kit.ts';
import { ManualClock } from '../time/clock.ts';

describe('opd backup / opd restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-backup-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up a database in use, restores it into another folder, and refuses what it must', async () => {
    const live = join(dir, 'live');
    const store = await openStore({ kind: 'sqlite', file: join(live, 'opd.sqlite') });
    const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock() });
    try {
      await busyDay(desk);
      const backup = await opd(['backup', 'b.sqlite'], { OPD_DATA_DIR: live }, dir);
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(
        new RegExp(`^opd backup: ${live}/opd\\.sqlite → b\\.sqlite: [\\d.]+ MB, 1 doctor, 2 doctor-days, 8 tokens, \\d+ events \\(last #\\d+\\), latest day 2026-03-11; integrity ok; [\\d.]+ s\\n$`),
      );
      expect(await opd(['backup', 'b.sqlite'], { OPD_DATA_DIR: live }, dir)).toMatchObject({ code: 1, stderr: `opd backup: ${join(dir, 'b.sqlite')} already exists: choose another name, or add --force to replace it\n` });

      const over = await opd(['restore', 'b.sqlite', '--force'], { OPD_DATA_DIR: live }, dir);
      expect(over.code).toBe(1);
      expect(over.stderr).toContain('is in use by another process: stop the server');

      const copy = await opd(['restore', 'b.sqlite'], { OPD_DATA_DIR: 'copy' }, dir);
      expect(copy.code).toBe(0);
      expect(copy.stdout).toMatch(/^opd restore: b\.sqlite → copy\/opd\.sqlite: 1 doctor, 2 doctor-days, 8 tokens, \d+ events \(last #(\d+)\), latest day 2026-03-11; integrity ok\n {2}everything after event #\1 is gone/);
      expect((await opd(['check'], { OPD_DATA_DIR: join(dir, 'copy') })).code).toBe(0);
    } finally {
      await desk.close();
      await store.close();
    }
  });

  it('says that PostgreSQL and memory databases are not theirs, with exit code 2', async () => {
    const pgBackup = await opd(['backup', 'x.sqlite'], { DATABASE_URL: 'postgres://127.0.0.1:1/nothing' }, dir);
    expect(pgBackup).toMatchObject({ code: 2, stdout: '' });
    expect(pgBackup.stderr).toMatch(/^opd backup: DATABASE_URL names PostgreSQL; back it up with pg_dump or a base backup/);
    const memRestore = await opd(['restore', 'x.sqlite'], { DATABASE_URL: 'memory' }, dir);
    expect(memRestore.code).toBe(2);
    expect(memRestore.stderr).toMatch(/DATABASE_URL=memory is a database of one server process/);
    expect((await opd(['restore'], {}, dir)).code).toBe(2);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });
});
