// A lost database is a 503 for the access repository too: its reads and writes report
// StoreUnavailableError (as the store's own calls do), never the driver's socket error, which the API
// would answer 500. No database needed: nothing listens on the port.

import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../errors.ts';
import { openPostgresStore } from './postgres-store.ts';

describe('PostgreSQL access repository without a database', () => {
  it('reports StoreUnavailableError for a read, a write and a transaction', async () => {
    const store = openPostgresStore('postgres://postgres@127.0.0.1:1/none', { connectionTimeoutMs: 2_000 });
    try {
      await expect(store.access.getApiKeyBySecretHash('h')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.access.touchApiKey('k', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.access.setAccountDisabled('a', true, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL settings without a database', () => {
  it('reports StoreUnavailableError for a read and a write', async () => {
    const store = openPostgresStore('postgres://postgres@127.0.0.1:1/none', { connectionTimeoutMs: 2_000 });
    try {
      await expect(store.settings.getSetting('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.settings.putSetting('k', 'v', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
