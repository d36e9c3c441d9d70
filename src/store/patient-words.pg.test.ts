// Migration 9 (patient_words) on PostgreSQL: a store in a schema of its own, read with pg itself.

import { describe } from 'vitest';
import { PG_URL } from '../../test/kits/api/test-kit.ts';
import { rawPostgres } from '../../test/kits/store/raw-database.ts';
import { patientWordsSuite } from '../../test/suites/store/patient-words-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  patientWordsSuite('PostgreSQL', () => rawPostgres(PG_URL!, 'words'));
});
