import { settingsContract } from '../../../test/suites/store/settings-contract.ts';
import { openStore } from '../open-store.ts';

settingsContract('SQLite in memory', () => openStore({ kind: 'sqlite', file: ':memory:' }));
