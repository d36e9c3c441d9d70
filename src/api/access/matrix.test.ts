// The role × route walk (matrix-suite.ts) on the embedded store, SQLite in memory.

import { matrixSuite } from '../../../test/suites/api/access/matrix-suite.ts';

matrixSuite();
