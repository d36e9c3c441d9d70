import { settingsContract } from '../settings-contract.ts';
import { openStore } from '../open-store.ts';

settingsContract('SQLite in memory', () => openStore({ kind: 'sqlite', file: ':memory:' }));
