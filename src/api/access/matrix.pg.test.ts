// The role × route walk (matrix-suite.ts) on PostgreSQL, in a fresh schema dropped afterwards: a
// refusal changes neither the event log nor the access tables there either.

import { describe } from 'vitest';
import { freshPostgresStore, PG_URL } from '../../../test/kits/api/test-kit.ts';
import { matrixSuite } from '../../../test/suites/api/access/matrix-suite.ts';

if (!PG_URL) console.log('role × route walk on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

describe.skipIf(!PG_URL)('on PostgreSQL', () => matrixSuite(() => freshPostgresStore(PG_URL!)));
