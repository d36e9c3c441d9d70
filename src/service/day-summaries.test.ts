// The reports' summaries kept as days close, on SQLite: a store on a file of its own (one process
// owns it: the two-servers case runs on PostgreSQL).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.ts';
import { daySummariesSuite } from '../../test/suites/service/day-summaries-suite.ts';

daySummariesSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-summaries-'));
  const file = join(dir, 'opd.sqlite');
  const store = await openStore({ kind: 'sqlite', file });
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
