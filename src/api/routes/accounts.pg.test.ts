// The account administration routes on PostgreSQL; runs only when DATABASE_URL names one.
import { PG_URL, freshPostgresStore } from '../test-kit.ts';
import { accessAdminSuite } from './access-admin-suite.ts';

const url = PG_URL;
if (!url) console.log('account administration on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');
else accessAdminSuite('PostgreSQL', () => freshPostgresStore(url));
