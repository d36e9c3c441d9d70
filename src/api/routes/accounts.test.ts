import { accessAdminSuite } from './access-admin-suite.ts';

accessAdminSuite('SQLite');
