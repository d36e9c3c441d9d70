// Search and erasure over HTTP (search-suite.ts) on the embedded store.
import { searchSuite } from '../../test/suites/api/search-suite.ts';

searchSuite();
