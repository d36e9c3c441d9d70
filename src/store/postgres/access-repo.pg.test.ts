// Runs only when DATABASE_URL names a PostgreSQL database; every store gets a fresh schema, dropped
// when the file is done.

import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/kits/pg-kit.ts';
import { startTcpProxy } from '../../../test/kits/tcp-proxy.ts';
import { accessContract } from '../../../test/suites/store/access-contract.ts';
import { StoreUnavailableError } from '../errors.ts';
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

  it('reports a database out of reach as StoreUnavailableError (a 503), reads and writes alike', async () => {
    // Every request resolves its credential here (a key or session not in the few-second cache): a
    // raw connection error would be answered 500 during a network cut.
    const target = new URL(url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const store = openPostgresStore(viaProxy.toString(), { schema: freshSchema() });
    try {
      await store.migrate();
      const at = Date.UTC(2026, 0, 5);
      const account = { id: 'acc-1', username: 'asha', displayName: 'Asha', role: 'desk' as const, doctorIds: 'all' as const, passwordHash: 'scrypt$x', disabled: false, createdAt: at, updatedAt: at };
      await store.access.insertAccount(account);
      proxy.cut();
      const unavailable = expect.any(StoreUnavailableError);
      await expect(store.access.getApiKeyBySecretHash('h')).rejects.toEqual(unavailable);
      await expect(store.access.getSession('h')).rejects.toEqual(unavailable);
      await expect(store.access.touchApiKey('k', at)).rejects.toEqual(unavailable);
      await expect(store.access.insertAccount({ ...account, id: 'acc-2', username: 'ravi' })).rejects.toEqual(unavailable);
      await expect(store.access.setAccountDisabled('acc-1', true, at)).rejects.toEqual(unavailable);
      await expect(store.settings.getSetting('k')).rejects.toEqual(unavailable);
      proxy.restore();
      // Nothing was changed, and the store serves again.
      expect(await store.access.getAccount('acc-1')).toEqual(account);
      expect(await store.access.getAccount('acc-2')).toBeNull();
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});
