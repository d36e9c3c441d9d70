// Who is signed in, for the screens: the answer of GET /api/session, given to every screen below the
// app (useMe), and signing out.

import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useState } from 'react';
import { api } from './api.ts';
import type { Me } from './access-types.ts';
import { dropAllDrafts } from './drafts.ts';

export const MeContext = createContext<Me | null>(null);

/** The signed-in identity; screens are only shown once it is known. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (me === null) throw new Error('useMe outside a signed-in screen');
  return me;
}

/**
 * Remembers, in this browser, that it is a display board: when its link is revoked and the page is
 * loaded again, it says so instead of showing a sign-in form on the waiting-room wall.
 */
const DISPLAY_FLAG = 'opd.display';

export function rememberDisplay(isDisplay: boolean): void {
  try {
    if (isDisplay) localStorage.setItem(DISPLAY_FLAG, '1');
    else localStorage.removeItem(DISPLAY_FLAG);
  } catch {
    // storage refused: only the wording after a revocation differs
  }
}

export function wasDisplay(): boolean {
  try {
    return localStorage.getItem(DISPLAY_FLAG) === '1';
  } catch {
    return false;
  }
}

/** Signing out: the session ends on the server, nothing of it stays in the page or the tab. */
export function useSignOut(): { signOut: () => void; busy: boolean } {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const signOut = () => {
    setBusy(true);
    api
      .signOut()
      .catch(() => undefined) // already ended: the sign-in page is right anyway
      .finally(() => {
        dropAllDrafts();
        queryClient.clear();
        window.location.assign('/signin');
      });
  };
  return { signOut, busy };
}
