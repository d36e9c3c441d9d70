// The desk's access types (src/web/access-types.ts, which the browser's type-check can read) against
// the API's schemas of the same answers (src/api/access-schemas.ts, which import server code that the
// browser's check cannot): `npm run typecheck` fails if the two ever disagree. Plain assignability,
// checked by the compiler; at run time each line only passes a placeholder along.

import { expect, it } from 'vitest';
import type { z } from 'zod';
import type * as S from '../src/api/access-schemas.ts';
import type * as W from '../src/web/access-types.ts';

/** Compiles only when a value of type `From` may be used as a `To`. */
const fits = <To>(value: To): To => value;
const some = <T>(): T => ({}) as T;

it('the desk reads the access answers as the API writes them', () => {
  const answers = [
    fits<W.Me>(some<z.output<typeof S.Me>>()),
    fits<W.Account>(some<z.output<typeof S.Account>>()),
    fits<W.ApiKey>(some<z.output<typeof S.ApiKey>>()),
    fits<W.DisplayLink>(some<z.output<typeof S.DisplayLink>>()),
    fits<W.SetupState>(some<z.output<typeof S.SetupState>>()),
    fits<W.CreatedApiKey>(some<z.output<typeof S.NewApiKey>>()),
    fits<W.CreatedDisplayLink>(some<z.output<typeof S.NewDisplayLink>>()),
  ];
  expect(answers).toHaveLength(7);
});

it('and sends what the API accepts', () => {
  const requests = [
    fits<z.input<typeof S.CreateAccountBody>>(some<W.NewAccountBody>()),
    fits<z.input<typeof S.UpdateAccountBody>>(some<W.AccountPatch>()),
    fits<z.input<typeof S.SetupBody>>(some<W.SetupBody>()),
    fits<z.input<typeof S.CreateApiKeyBody>>(some<{ name: string; role: W.Role; doctorIds: W.DoctorIds }>()),
    fits<z.input<typeof S.CreateDisplayLinkBody>>(some<{ name: string; doctorIds: W.DoctorIds }>()),
  ];
  expect(requests).toHaveLength(5);
});
