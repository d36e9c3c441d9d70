import { describe, expect, it } from 'vitest';
import { framesOf, gridOf, paged } from './pages.ts';

describe('the board’s pages', () => {
  it('11: places up to six doctors a screen: one row up to three, then two rows', () => {
    expect(gridOf(0)).toEqual({ cols: 1, rows: 1 });
    expect(gridOf(1)).toEqual({ cols: 1, rows: 1 });
    expect(gridOf(3)).toEqual({ cols: 3, rows: 1 });
    expect(gridOf(4)).toEqual({ cols: 2, rows: 2 });
    expect(gridOf(5)).toEqual({ cols: 3, rows: 2 });
    expect(gridOf(6)).toEqual({ cols: 3, rows: 2 });
    expect(gridOf(24)).toEqual({ cols: 3, rows: 2 });
  });

  it('11: 24 doctors make 4 pages of 6; 13 make 5, 4 and 4 (no page of one); none make one empty page', () => {
    const doctors = Array.from({ length: 24 }, (_, i) => i);
    expect(paged(doctors, 6).map((p) => p.length)).toEqual([6, 6, 6, 6]);
    expect(paged(doctors, 6)[1]).toEqual([6, 7, 8, 9, 10, 11]);
    expect(paged(doctors.slice(0, 13), 6).map((p) => p.length)).toEqual([5, 4, 4]);
    expect(paged(Array.from({ length: 30 }, (_, i) => i), 6).map((p) => p.length)).toEqual([6, 6, 6, 6, 6]);
    expect(paged(doctors.slice(0, 6), 6)).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect(paged([], 6)).toEqual([[]]);
  });

  it('11: with two languages each page shows in both before the next', () => {
    expect(framesOf(2, ['en', 'hi'])).toEqual([
      { page: 0, lang: 'en' },
      { page: 0, lang: 'hi' },
      { page: 1, lang: 'en' },
      { page: 1, lang: 'hi' },
    ]);
    expect(framesOf(3, ['hi'])).toEqual([
      { page: 0, lang: 'hi' },
      { page: 1, lang: 'hi' },
      { page: 2, lang: 'hi' },
    ]);
    expect(framesOf(0, ['en'])).toEqual([{ page: 0, lang: 'en' }]);
  });
});
