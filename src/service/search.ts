// Search at the desk (SPEC 10 `GET /api/tokens?q=`): one text read every way it can mean something —
// a token number (`GM-007`, `gm7`, `gm 7`), a name prefix of any word (case and accents aside), a
// phone in any common writing (compared as E.164), or a patient id (trimmed, case aside).

import { formatNumber } from '../engine/index.ts';
import type { PersonalSearch } from '../store/personal-repo.ts';
import { foldId, foldName } from '../store/personal.ts';
import { toE164, type PhoneRegion } from './phone.ts';

const NUMBER = /^([A-Za-z]{2,4})[\s-]*0*(\d{1,6})$/;
const PHONE = /^\+?[\d][\d\s-]{5,23}$/;

/** The ways `q` may match, each its own field of a search. */
export function searchTerms(q: string, region: PhoneRegion): Pick<PersonalSearch, 'number' | 'namePrefix' | 'phoneE164' | 'idFolded'> {
  const text = q.trim();
  const terms: Pick<PersonalSearch, 'number' | 'namePrefix' | 'phoneE164' | 'idFolded'> = { idFolded: foldId(text) };
  const number = NUMBER.exec(text);
  if (number) terms.number = formatNumber(number[1]!.toUpperCase(), Number(number[2]));
  if (PHONE.test(text)) {
    const phone = toE164(text, region);
    if (phone !== null) terms.phoneE164 = phone;
  }
  if (/\p{L}/u.test(text)) terms.namePrefix = foldName(text);
  return terms;
}

/** The first date of a search of `days` days ending on `date` (YYYY-MM-DD, both included). */
export function firstDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - (days - 1) * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
