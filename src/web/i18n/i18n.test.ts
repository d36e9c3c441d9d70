import { describe, expect, it } from 'vitest';
import { i18n, isLanguage, registerMessages } from './index.ts';

describe('web i18n', () => {
  registerMessages('i18n-test', {
    en: { ahead_one: '{{count}} patient ahead of you', ahead_other: '{{count}} patients ahead of you' },
    hi: { ahead_one: 'आपसे पहले {{count}} मरीज़', ahead_other: 'आपसे पहले {{count}} मरीज़' },
  });

  it('picks plural forms by language and falls back to English for a missing message', () => {
    const en = i18n.getFixedT('en', 'i18n-test');
    const hi = i18n.getFixedT('hi', 'i18n-test');
    expect(en('ahead', { count: 1 })).toBe('1 patient ahead of you');
    expect(en('ahead', { count: 3 })).toBe('3 patients ahead of you');
    expect(hi('ahead', { count: 3 })).toBe('आपसे पहले 3 मरीज़');
    expect(i18n.getFixedT('hi', 'i18n-test')('missing-key')).toBe('missing-key');
  });

  it('knows its languages', () => {
    expect(isLanguage('hi')).toBe(true);
    expect(isLanguage('fr')).toBe(false);
  });
});
