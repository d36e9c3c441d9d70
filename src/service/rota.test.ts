// The weekly rota on SQLite: a store on a file of its own. The embedded store has one owning process, so
// the "second server" is a second desk (its own caches) on the same store; its close leaves the store open.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open-store.ts';
import { rotaSuite } from '../../test/suites/service/rota-suite.ts';

rotaSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-rota-'));
  const file = join(dir, 'opd.sqlite');
  const store = await openStore({ kind: 'sqlite', file });
  return {
    store,
    second: async () => Object.assign(Object.create(store) as typeof store, { close: async () => {} }),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
