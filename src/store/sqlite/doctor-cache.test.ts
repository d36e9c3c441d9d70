// The doctors an SQLite store keeps between write transactions (doctor-cache.ts): never older than
// what another connection committed, never what a rolled-back work wrote.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctor } from '../../../test/suites/store/contract-fixtures.ts';
import { openSqliteStore, type SqliteStore } from './sqlite-store.ts';

describe('SQLite: the doctors read inside write transactions', () => {
  let dir: string;
  let file: string;
  let sut: SqliteStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opd-doctor-cache-'));
    file = join(dir, 'opd.sqlite');
    sut = openSqliteStore(file);
    await sut.migrate();
    await sut.transaction((tx) => tx.insertDoctor(doctor('doc-1', 'GM')));
  });
  afterEach(async () => {
    await sut.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = () => sut.transaction((tx) => tx.getDoctor('doc-1'));

  it('are read as another connection (another process on the file) committed them', async () => {
    expect((await read())!.name).toBe('Dr doc-1');
    expect((await read())!.name).toBe('Dr doc-1');
    const other = new Database(file);
    other.prepare(`UPDATE doctors SET name = 'Dr Renamed', policy = '{"maxBumps":0}' WHERE id = 'doc-1'`).run();
    other.close();
    expect(await read()).toEqual({ ...doctor('doc-1', 'GM'), name: 'Dr Renamed', policy: { maxBumps: 0 } });
  });

  it("are read as this store's own transactions wrote them, and as they were when a work that wrote them rolled back", async () => {
    expect((await read())!.name).toBe('Dr doc-1');
    // Two works in one group: the first renames and reads, then fails (its savepoint is undone);
    // the second, in the same SQLite transaction, and the next group read the committed row.
    const failed = sut.transaction(async (tx) => {
      await tx.updateDoctor('doc-1', { name: 'Dr Temporary', room: 'Room 9' });
      expect((await tx.getDoctor('doc-1'))!.name).toBe('Dr Temporary');
      throw new Error('the work fails');
    });
    const after = read();
    await expect(failed).rejects.toThrow('the work fails');
    expect((await after)!.name).toBe('Dr doc-1');
    expect(await read()).toEqual(doctor('doc-1', 'GM'));

    await sut.transaction((tx) => tx.setDoctorPolicy('doc-1', { maxBumps: 5 }));
    expect((await read())!.policy).toEqual({ maxBumps: 5 });
    await sut.transaction((tx) => tx.updateDoctor('doc-1', { name: 'Dr New', room: null }));
    expect((await read())!.name).toBe('Dr New');
    expect(await sut.transaction((tx) => tx.getDoctor('nobody'))).toBeNull();
    await sut.transaction((tx) => tx.insertDoctor(doctor('nobody', 'NB')));
    expect(await sut.transaction((tx) => tx.getDoctor('nobody'))).toEqual(doctor('nobody', 'NB'));
  });
});
