// The junk properties (junk-suite.ts) and the text rule (text-rule-suite.ts) on PostgreSQL, each in a
// fresh schema dropped afterwards. PostgreSQL refuses NUL and lone surrogates itself, so a text the
// schemas let through would come back a 500.

import { describe } from 'vitest';
import { junkSuite } from '../../test/suites/api/junk-suite.ts';
import { freshPostgresStore, PG_URL } from '../../test/kits/api/test-kit.ts';
import { textRuleSuite } from '../../test/suites/api/text-rule-suite.ts';

if (!PG_URL) console.log('API junk and text tests on PostgreSQL skipped: set DATABASE_URL=postgres://… to run them');

describe.skipIf(!PG_URL)('on PostgreSQL', () => {
  describe('junk', () => junkSuite(() => freshPostgresStore(PG_URL!), { junk: 400, poisoned: 400 }));
  describe('text rule', () => textRuleSuite(() => freshPostgresStore(PG_URL!)));
});
