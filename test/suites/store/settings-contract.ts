// What both stores' settings promise (migration 8), as a vitest suite. Each store's settings test
// file calls settingsContract with a factory that opens a fresh, migrated, empty store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.ts';

export function settingsContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: hospital settings`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('an unknown setting reads as null', async () => {
      expect(await store.settings.getSetting('slip.layout')).toBeNull();
    });

    it('init keeps the first value: a second init answers the first one and changes nothing', async () => {
      expect(await store.settings.initSetting('public-code.secret', 'first', 1)).toBe('first');
      expect(await store.settings.initSetting('public-code.secret', 'second', 2)).toBe('first');
      expect(await store.settings.getSetting('public-code.secret')).toBe('first');
    });

    it('inits at once all answer the same value', async () => {
      const answers = await Promise.all(['a', 'b', 'c', 'd'].map((v, i) => store.settings.initSetting('public-code.secret', v, i)));
      expect(new Set(answers).size).toBe(1);
      expect(await store.settings.getSetting('public-code.secret')).toBe(answers[0]);
    });

    it('put replaces the value of its key only', async () => {
      await store.settings.putSetting('slip.layout', 'roll-80mm', 1);
      await store.settings.putSetting('other', 'x', 1);
      await store.settings.putSetting('slip.layout', 'a6', 2);
      expect(await store.settings.getSetting('slip.layout')).toBe('a6');
      expect(await store.settings.getSetting('other')).toBe('x');
    });
  });
}
