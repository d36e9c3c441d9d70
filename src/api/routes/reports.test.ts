import { reportsSuite } from './reports-suite.ts';

reportsSuite('SQLite');
