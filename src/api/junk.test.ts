// The junk properties (junk-suite.ts) on the embedded store, SQLite in memory.

import { openStore } from '../store/open-store.ts';
import { junkSuite } from '../../test/suites/api/junk-suite.ts';

junkSuite(() => openStore({ kind: 'sqlite', file: ':memory:' }), { junk: 1000, poisoned: 500 });
