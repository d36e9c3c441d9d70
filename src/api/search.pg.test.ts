// Search and erasure over HTTP (search-suite.ts) on PostgreSQL, in a fresh schema dropped afterwards.
import { describe } from 'vitest';
import { freshPostgresStore, PG_URL } from './test-kit.ts';
import { searchSuite } from './search-suite.ts';

describe.skipIf(!PG_URL)('on PostgreSQL', () => searchSuite(() => freshPostgresStore(PG_URL!)));
