// Drafts: a form's fields are written only when the session ends, read back once, and dropped on
// sign-out.

import { afterEach, describe, expect, it } from 'vitest';
import { dropAllDrafts, dropDraft, readDraft, registerDraft, saveDrafts, type DraftStorage } from './drafts.ts';

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
  };
}

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const u of unregister.splice(0)) u();
});

describe('drafts', () => {
  it('writes nothing until the session ends, then every registered form’s current fields', () => {
    const storage = memoryStorage();
    let name = 'Mee';
    unregister.push(registerDraft('issue', () => ({ name })));
    unregister.push(registerDraft('empty', () => undefined));
    expect(storage.map.size).toBe(0);
    name = 'Meera Nair';
    saveDrafts(storage);
    expect(readDraft('issue', storage)).toEqual({ name: 'Meera Nair' });
    expect(readDraft('empty', storage)).toBeUndefined();
    dropDraft('issue', storage);
    expect(readDraft('issue', storage)).toBeUndefined();
  });

  it('an unregistered form is not saved', () => {
    const storage = memoryStorage();
    const off = registerDraft('gone', () => ({ a: 1 }));
    off();
    saveDrafts(storage);
    expect(storage.map.size).toBe(0);
  });

  it('signing out drops every draft and nothing else', () => {
    const storage = memoryStorage();
    storage.setItem('other', 'kept');
    unregister.push(registerDraft('a', () => 1));
    unregister.push(registerDraft('b', () => 2));
    saveDrafts(storage);
    expect(storage.map.size).toBe(3);
    dropAllDrafts(storage);
    expect([...storage.map.keys()]).toEqual(['other']);
  });

  it('a damaged draft reads as none', () => {
    const storage = memoryStorage();
    storage.setItem('opd.draft.x', '{not json');
    expect(readDraft('x', storage)).toBeUndefined();
  });
});
