// Runs only when DATABASE_URL names a PostgreSQL database; every store gets a fresh schema, dropped
// when the file is done.

import { afterAll, describe } from 'vitest';
import { baseUrl, freshSchemas } from '../../../test/kits/pg-kit.ts';
import { settingsContract } from '../../../test/suites/store/settings-contract.ts';
import { openPostgresStore } from './postgres-store.ts';

const url = baseUrl;
if (!url) console.log('PostgreSQL settings tests skipped: set DATABASE_URL=postgres://… to run them');

const schemas = freshSchemas('opd_settings');
afterAll(() => schemas.dropAll());

describe.skipIf(!url)('PostgreSQL settings', () => {
  settingsContract('PostgreSQL', async () => {
    const store = openPostgresStore(url!, { schema: schemas.next() });
    await store.migrate();
    return store;
  });
});
