// How a wall board lays out many doctors: at most 6 cards a screen (3 columns, 2 rows) at the sizes
// docs/web-desk.md gives, so more doctors go on pages that turn by themselves. With two languages each
// page is shown in one, then the other, before the next page ("frames"): a patient who reads only one
// of them still sees every doctor. Pure, tested in pages.test.ts.

import type { Language } from '../i18n/index.ts';

export const MAX_PER_PAGE = 6;

export interface Grid {
  cols: number;
  rows: number;
}

/** Columns and rows of one screen of `count` doctors (a page holds at most MAX_PER_PAGE). */
export function gridOf(count: number): Grid {
  const n = Math.min(Math.max(count, 1), MAX_PER_PAGE);
  const cols = n <= 3 ? n : n === 4 ? 2 : 3;
  return { cols, rows: Math.ceil(n / cols) };
}

/** The items in pages of at most `perPage`, as even as can be (13 doctors: 5, 4, 4 rather than 6, 6, 1). */
export function paged<T>(items: readonly T[], perPage: number): T[][] {
  if (items.length === 0) return [[]];
  const pages = Math.ceil(items.length / perPage);
  const out: T[][] = [];
  let from = 0;
  for (let p = 0; p < pages; p++) {
    const size = Math.ceil((items.length - from) / (pages - p));
    out.push(items.slice(from, from + size));
    from += size;
  }
  return out;
}

export interface Frame {
  page: number;
  lang: Language;
}

/** What the screen shows in turn: each page in each language, pages in order. */
export function framesOf(pages: number, languages: readonly Language[]): Frame[] {
  const out: Frame[] = [];
  for (let page = 0; page < Math.max(pages, 1); page++) for (const lang of languages) out.push({ page, lang });
  return out;
}
