// The desk's keyboard shortcuts: `/` the search box, `n` a new token (the issue form's first field),
// `p` print the last slip. They never fire while the person types in a field, with a modifier held
// (Ctrl+P is the browser's own print), or while a dialog is open.

import { useEffect, useRef } from 'react';

export type Shortcut = 'search' | 'new-token' | 'print-slip';

const KEYS: Record<string, Shortcut> = { '/': 'search', n: 'new-token', p: 'print-slip' };

/** What a key press asks for, or null. `target` is what has the focus: typing there is typing. */
export function shortcutOf(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: unknown }, dialogOpen: boolean): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey || dialogOpen) return null;
  const el = e.target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  const tag = el?.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el?.isContentEditable) return null;
  if (tag === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el?.type ?? 'text')) return null;
  return KEYS[e.key] ?? null;
}

/** Listens on the page while mounted; `on` gets each shortcut (the page's default is prevented). */
export function useShortcuts(on: (shortcut: Shortcut) => void): void {
  const current = useRef(on);
  useEffect(() => {
    current.current = on;
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => {
      const shortcut = shortcutOf(e, document.querySelector('dialog[open]') !== null);
      if (shortcut === null) return;
      e.preventDefault();
      current.current(shortcut);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}
