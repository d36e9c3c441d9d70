// Languages of the screens patients read (the board, the slip, the patient's page) and, where it costs
// little, of the desk: English and Hindi, with i18next (plurals by the CLDR rules of Intl.PluralRules:
// keys `…_one` / `…_other`). One i18next instance for the page. Each screen registers its own
// messages (a namespace) from its own module with `registerMessages`, so screens do not edit a shared
// list; a screen then reads them with `useTranslation(namespace)` or `i18n.getFixedT(lang, namespace)`.

import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in that language, for a chooser. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', hi: 'हिन्दी' };

/** BCP 47 tags for speech and for Intl formatting: Indian English and Hindi. */
export const LOCALES: Readonly<Record<Language, string>> = { en: 'en-IN', hi: 'hi-IN' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  resources: {} satisfies Resource,
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
});

/** The messages of one namespace in every language (English is the fallback of a missing key). */
export type Messages = Readonly<Record<Language, Readonly<Record<string, string>>>>;

/** Adds a screen's messages; called once at module load of the screen that owns them. */
export function registerMessages(namespace: string, messages: Messages): void {
  for (const lang of LANGUAGES) i18n.addResourceBundle(lang, namespace, messages[lang], true, true);
}
