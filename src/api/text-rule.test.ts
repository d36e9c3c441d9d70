// The text rule through the API (text-rule-suite.ts) on the embedded store.

import { openStore } from '../store/open-store.ts';
import { textRuleSuite } from '../../test/suites/api/text-rule-suite.ts';

textRuleSuite(() => openStore({ kind: 'sqlite', file: ':memory:' }));
