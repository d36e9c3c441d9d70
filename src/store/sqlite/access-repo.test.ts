import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessContract } from '../../../test/suites/store/access-contract.ts';
import { openStore } from '../open-store.ts';
import { openSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'opd-sqlite-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `run-${++files}`, 'opd.sqlite');

accessContract('SQLite in memory', () => openStore({ kind: 'sqlite', file: ':memory:' }));
accessContract('SQLite file', () => openStore({ kind: 'sqlite', file: freshFile() }));

describe('SQLite access repository and the write queue', () => {
  it('writes as works of the queue: a failed booking work beside it rolls back alone', async () => {
    // Group commit puts queued works in one SQLite transaction; an access write queued between two
    // works must commit even when a neighbour fails, and must not commit the failed neighbour.
    const store = openSqliteStore(freshFile(), { maxGroup: 64 });
    await store.migrate();
    try {
      const failing = store.transaction(async (tx) => {
        await tx.putIdempotency({ key: 'k1', requestHash: 'h', response: '{}', createdAt: 'now' });
        throw new Error('the booking failed');
      });
      const insert = store.access.insertAccount({
        id: 'acc-1', username: 'anita', displayName: 'Anita', role: 'desk', doctorIds: 'all',
        passwordHash: 'scrypt$x', disabled: false, createdAt: 1, updatedAt: 1,
      });
      const after = store.transaction((tx) => tx.getIdempotency('k1'));
      await expect(failing).rejects.toThrow('the booking failed');
      await insert;
      expect(await after).toBeNull();
      expect(await store.access.getAccountByUsername('anita')).toMatchObject({ id: 'acc-1' });
    } finally {
      await store.close();
    }
  });

  it('refuses writes once the store is closed', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    await store.close();
    await expect(store.access.deleteSessionsIdleSince(0)).rejects.toThrow('closed');
  });
});
