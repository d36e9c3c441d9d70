import { accessAdminSuite } from '../../../test/suites/api/routes/access-admin-suite.ts';

accessAdminSuite('SQLite');
