// The engine never reads the clock, randomness or the environment: the linter refuses it.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const lint = async (code: string, filePath: string) => {
  const [result] = await new ESLint().lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
};

describe('the linter keeps src/engine deterministic', () => {
  it.each([
    ['Date.now()', 'no-restricted-properties'],
    ['Math.random()', 'no-restricted-properties'],
    ['new Date().getTime()', 'no-restricted-syntax'],
    ['performance.now()', 'no-restricted-globals'],
    ['process.env.TZ', 'no-restricted-globals'],
  ])('refuses %s in src/engine/', async (expr, rule) => {
    expect(await lint(`export const x = ${expr};\n`, 'src/engine/fixture.ts')).toContain(rule);
  });

  it('refuses imports of node built-ins and of code outside src/engine/', async () => {
    expect(await lint(`import fs from 'node:fs';\nexport const x = fs;\n`, 'src/engine/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(`import { x } from '../sim/x.ts';\nexport const y = x;\n`, 'src/engine/fixture.ts')).toContain('no-restricted-imports');
  });

  it('allows arithmetic on times passed in, and the clock outside the engine', async () => {
    expect(await lint(`export const f = (now: number) => new Date(now).toISOString();\n`, 'src/engine/fixture.ts')).toEqual([]);
    expect(await lint(`export const x = Date.now();\n`, 'src/sim/fixture.ts')).toEqual([]);
  });

  it('lets the engine read the shared vocabulary, and holds that vocabulary to the same rules', async () => {
    expect(await lint(`import { SOURCES } from '../shared/vocabulary.ts';\nexport const x = SOURCES;\n`, 'src/engine/fixture.ts')).toEqual([]);
    expect(await lint(`import { x } from '../shared/other.ts';\nexport const y = x;\n`, 'src/engine/fixture.ts')).toContain('no-restricted-imports');
    expect(await lint(`export const x = Date.now();\n`, 'src/shared/fixture.ts')).toContain('no-restricted-properties');
    expect(await lint(`import { SOURCES } from '../engine/types.ts';\nexport const x = SOURCES;\n`, 'src/shared/fixture.ts')).toContain('no-restricted-imports');
  });
});

describe('the web desk shares only the vocabulary with the server', () => {
  it('refuses the engine, the service and the store, and reads the API schemas as types only', async () => {
    const rule = '@typescript-eslint/no-restricted-imports';
    expect(await lint(`import { SOURCES } from '../engine/types.ts';\nexport const x = SOURCES;\n`, 'src/web/fixture.ts')).toContain(rule);
    expect(await lint(`import { servingOrderOf } from '../../service/board.ts';\nexport const x = servingOrderOf;\n`, 'src/web/screens/fixture.ts')).toContain(rule);
    expect(await lint(`import { Token } from '../api/schemas.ts';\nexport const x = Token;\n`, 'src/web/fixture.ts')).toContain(rule);
    expect(await lint(`import type * as S from '../api/schemas.ts';\nexport type X = typeof S.Token;\n`, 'src/web/fixture.ts')).toEqual([]);
    expect(await lint(`import { SOURCES } from '../shared/vocabulary.ts';\nexport const x = SOURCES;\n`, 'src/web/fixture.ts')).toEqual([]);
  });
});
