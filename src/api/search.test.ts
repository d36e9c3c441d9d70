// Search and erasure over HTTP (search-suite.ts) on the embedded store.
import { searchSuite } from './search-suite.ts';

searchSuite();
