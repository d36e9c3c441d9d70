// Search and erasure over HTTP (search-suite.ts) on PostgreSQL, in a fresh schema dropped afterwards.
import { describe } from 'vitest';
import { freshPostgresStore, PG_URL } from '../../test/kits/api/test-kit.ts';
import { searchSuite } from '../../test/suites/api/search-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => searchSuite(() => freshPostgresStore(PG_URL!)));
