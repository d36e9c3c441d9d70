// Personal data apart (SPEC 12) on SQLite: a store on a file of its own, read with a second connection.

import { rawSqlite } from '../../test/kits/store/raw-database.ts';
import { personalSuite } from '../../test/suites/service/personal-suite.ts';

personalSuite('SQLite', () => rawSqlite('personal'));
