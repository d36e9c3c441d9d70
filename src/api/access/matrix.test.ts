// The role × route walk (matrix-suite.ts) on the embedded store, SQLite in memory.

import { matrixSuite } from './matrix-suite.ts';

matrixSuite();
