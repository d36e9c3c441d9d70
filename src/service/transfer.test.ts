// Transfer on SQLite (in memory).
import { openStore } from '../store/open-store.ts';
import { transferSuite } from '../../test/suites/service/transfer-suite.ts';

transferSuite('SQLite', async () => {
  const store = await openStore({ kind: 'sqlite', file: ':memory:' });
  return { store, close: () => store.close() };
});
