// The patient's side on PostgreSQL: runs only when DATABASE_URL names a PostgreSQL server.
import { describe } from 'vitest';
import { patientSuite } from '../../test/suites/api/patient-suite.ts';
import { freshPostgresStore, PG_URL } from '../../test/kits/api/test-kit.ts';

if (!PG_URL) console.log("PostgreSQL patient page tests skipped: set DATABASE_URL=postgres://… to run them");

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  patientSuite(() => freshPostgresStore(PG_URL!));
});
