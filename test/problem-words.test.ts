// Every problem code of the API's one error table has its own sentence for staff in the web desk
// (src/web/problem-words.ts): a new code without words fails here.

import { expect, it } from 'vitest';
import { PROBLEMS, type ProblemCode } from '../src/api/problem.ts';
import { problemWords } from '../src/web/problem-words.ts';

const FALLBACK = 'The server refused this. Try again, or tell the administrator.';

it.each(Object.keys(PROBLEMS) as ProblemCode[])('%s has words for staff', (code) => {
  // A detail with an id in it: the desk's own words must not depend on the server's.
  const words = problemWords({ type: 'urn:x', title: PROBLEMS[code].title, status: PROBLEMS[code].status, code, detail: 'no slot 3f1c2a9e-0000-4000-8000-000000000000' });
  expect(words).not.toBe(FALLBACK);
  expect(words).not.toMatch(/3f1c2a9e|[A-Z]{3,}_[A-Z]+|\{/);
  expect(words).toMatch(/^[A-Z].*[.!?]$/);
});
