// The desk's shortcuts fire on a bare key, never while typing in a field or with a dialog open.

import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts.ts';

const key = (k: string, target: unknown = { tagName: 'BODY' }, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

describe('keyboard shortcuts of the desk', () => {
  it('/ searches, n starts a new token, p prints the last slip', () => {
    expect(shortcutOf(key('/'), false)).toBe('search');
    expect(shortcutOf(key('n'), false)).toBe('new-token');
    expect(shortcutOf(key('p'), false)).toBe('print-slip');
    expect(shortcutOf(key('x'), false)).toBeNull();
    // from a button or a checkbox too: those take no typing
    expect(shortcutOf(key('n', { tagName: 'BUTTON' }), false)).toBe('new-token');
    expect(shortcutOf(key('/', { tagName: 'INPUT', type: 'checkbox' }), false)).toBe('search');
  });

  it('never fires while typing in a field', () => {
    expect(shortcutOf(key('n', { tagName: 'INPUT', type: 'text' }), false)).toBeNull();
    expect(shortcutOf(key('p', { tagName: 'INPUT', type: 'tel' }), false)).toBeNull();
    expect(shortcutOf(key('/', { tagName: 'INPUT', type: 'search' }), false)).toBeNull();
    expect(shortcutOf(key('n', { tagName: 'TEXTAREA' }), false)).toBeNull();
    expect(shortcutOf(key('n', { tagName: 'SELECT' }), false)).toBeNull();
    expect(shortcutOf(key('n', { tagName: 'DIV', isContentEditable: true }), false)).toBeNull();
  });

  it('leaves the browser its own keys, and a dialog its keys', () => {
    expect(shortcutOf(key('p', { tagName: 'BODY' }, { ctrlKey: true }), false)).toBeNull();
    expect(shortcutOf(key('p', { tagName: 'BODY' }, { metaKey: true }), false)).toBeNull();
    expect(shortcutOf(key('n', { tagName: 'BODY' }, { altKey: true }), false)).toBeNull();
    expect(shortcutOf(key('n'), true)).toBeNull();
  });
});
