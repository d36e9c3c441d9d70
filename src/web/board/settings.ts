// The board's own settings, kept in its address so that each screen on the wall can differ and a
// display link carries them (`/display/<secret>?lang=en,hi` goes on to `/board?doctors=…&lang=en,hi`):
//
//   lang   the languages the board shows and speaks: `en`, `hi`, or both (`en,hi`, `hi,en`: the board
//          alternates between them, in that order, and says each call in both). English by default.
//   turn   seconds each page (and each language) stays on the screen, 5 to 120; 12 by default.
//
// Pure, tested in settings.test.ts. The display link page (src/api/routes/display-page.ts) accepts the
// same values and refuses others.

import { isLanguage, type Language } from '../i18n/index.ts';

export interface BoardSettings {
  languages: Language[];
  turnSeconds: number;
}

export const DEFAULT_TURN_SECONDS = 12;
export const MIN_TURN_SECONDS = 5;
export const MAX_TURN_SECONDS = 120;

/** `en`, `hi`, `en,hi` or `hi,en` as the list of languages; null for anything else. */
export function parseBoardLanguages(value: string): Language[] | null {
  const langs = value.split(',').map((l) => l.trim().toLowerCase());
  if (langs.length === 0 || langs.length > 2 || !langs.every(isLanguage)) return null;
  if (new Set(langs).size !== langs.length) return null;
  return langs as Language[];
}

/** A whole number of seconds from 5 to 120; null for anything else. */
export function parseTurnSeconds(value: string): number | null {
  if (!/^[0-9]{1,3}$/.test(value)) return null;
  const n = Number(value);
  return n >= MIN_TURN_SECONDS && n <= MAX_TURN_SECONDS ? n : null;
}

/** The settings of a board address's query string; a missing or unreadable value takes its default. */
export function boardSettings(search: string): BoardSettings {
  const params = new URLSearchParams(search);
  const lang = params.get('lang');
  const turn = params.get('turn');
  return {
    languages: (lang === null ? null : parseBoardLanguages(lang)) ?? ['en'],
    turnSeconds: (turn === null ? null : parseTurnSeconds(turn)) ?? DEFAULT_TURN_SECONDS,
  };
}
