import { reportsSuite } from '../../../test/suites/api/routes/reports-suite.ts';

reportsSuite('SQLite');
