// What a person was typing, kept across a sign-in. When the session ends (a 401 from any call), every
// form that registered a draft has its fields written to sessionStorage (this tab only, gone when the
// tab closes) before the page moves to the sign-in screen; the form reads them back when it is shown
// again. Nothing is written while the session is fine, and signing out drops them: the next person at
// a shared desk PC never finds the last patient's name in the form.

import { useEffect, useRef, useState } from 'react';

const PREFIX = 'opd.draft.';
const providers = new Map<string, () => unknown>();

/** The part of the Web Storage API drafts use (sessionStorage in the browser; a Map in tests). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

function session(): DraftStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled: drafts are simply not kept
  }
}

/** A form says how to read its fields now; the returned function unregisters it. */
export function registerDraft(name: string, read: () => unknown): () => void {
  providers.set(name, read);
  return () => {
    if (providers.get(name) === read) providers.delete(name);
  };
}

/** Writes every registered form's fields (the session has ended). */
export function saveDrafts(storage: DraftStorage | null = session()): void {
  if (!storage) return;
  for (const [name, read] of providers) {
    const value = read();
    if (value === undefined) continue;
    try {
      storage.setItem(PREFIX + name, JSON.stringify(value));
    } catch {
      // full or refused: the draft is lost, the sign-in still works
    }
  }
}

/** The saved fields of a form, or undefined. They stay until `dropDraft`, so a re-render finds them too. */
export function readDraft<T>(name: string, storage: DraftStorage | null = session()): T | undefined {
  const text = storage?.getItem(PREFIX + name);
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export function dropDraft(name: string, storage: DraftStorage | null = session()): void {
  storage?.removeItem(PREFIX + name);
}

/** Signing out: every saved draft goes. */
export function dropAllDrafts(storage: DraftStorage | null = session()): void {
  if (!storage) return;
  const names: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) names.push(key);
  }
  for (const key of names) storage.removeItem(key);
}

/** What a form had when the session ended (read once, at its first render); undefined when nothing. */
export function useRestoredDraft<T>(name: string): T | undefined {
  const [restored] = useState(() => readDraft<T>(name));
  return restored;
}

/**
 * Keeps a form's current fields ready to be saved if the session ends (undefined: nothing worth
 * keeping). The copy saved last time is dropped once the form is shown again.
 */
export function useKeptDraft<T>(name: string, current: T | undefined): void {
  const latest = useRef<T | undefined>(current);
  useEffect(() => {
    latest.current = current;
  });
  useEffect(() => {
    dropDraft(name);
    return registerDraft(name, () => latest.current);
  }, [name]);
}
