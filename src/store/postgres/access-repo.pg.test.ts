// Runs only when DATABASE_URL names a PostgreSQL database; every store gets a fresh schema, dropped
// when the file is done.

import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/pg-kit.ts';
import { accessContract } from '../access-contract.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = baseUrl;
if (!url) console.log('PostgreSQL access repository tests skipped: set DATABASE_URL=postgres://… to run them');

const schemas = freshSchemas('opd_access');
const freshSchema = () => schemas.next();
afterAll(() => schemas.dropAll());

describe.skipIf(!url)('PostgreSQL access repository', () => {
  accessContract('PostgreSQL', async () => {
    const store = openPostgresStore(url!, { schema: freshSchema() });
    await store.migrate();
    return store;
  });

  it('two servers completing set-up at once with two codes make one admin', async () => {
    const schema = freshSchema();
    const [a, b] = [openPostgresStore(url!, { schema }), openPostgresStore(url!, { schema })];
    try {
      await a.migrate();
      await b.migrate();
      const at = Date.UTC(2026, 0, 5);
      await a.access.insertSetupCode({ codeHash: 'c1', expiresAt: at + 1000, usedAt: null });
      await a.access.insertSetupCode({ codeHash: 'c2', expiresAt: at + 1000, usedAt: null });
      const admin = (id: string) => ({
        id, username: id, displayName: id, role: 'admin' as const, doctorIds: 'all' as const,
        passwordHash: 'scrypt$x', disabled: false, createdAt: at, updatedAt: at,
      });
      const outcomes = await Promise.all([a.access.completeSetup('c1', at, admin('first')), b.access.completeSetup('c2', at, admin('second'))]);
      expect([...outcomes].sort()).toEqual(['admin-exists', 'created']);
      expect(await a.access.countActiveAdmins()).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
