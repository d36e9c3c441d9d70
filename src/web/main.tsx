// The web desk: one page, its screens chosen by path (the server serves index.html for each of them,
// see src/api/web.ts): / front desk, /doctor/:id console, /board waiting-room board, /admin set-up,
// /signin and /setup. Who is signed in (GET /api/session) decides what a screen shows: signed out,
// the sign-in page (coming back here afterwards); a screen the role may not use, "no access"; a
// doctor on / goes to its console, a display to its board. A 401 later (the session ended) keeps the
// forms' drafts and moves to the sign-in page; on a display board it blanks the board instead.

import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ApiError, onUnauthenticated } from './api.ts';
import { landingFor, mayUse, screenOf, signInPath, type Screen } from './access.ts';
import type { Me } from './access-types.ts';
import { saveDrafts } from './drafts.ts';
import { LiveFeed } from './live.tsx';
import { DoctorChooser, NoAccess, NoAnswer, Revoked } from './screens/AccessPages.tsx';
import { Admin } from './screens/Admin.tsx';
import { Board } from './screens/Board.tsx';
import { DoctorConsole } from './screens/DoctorConsole.tsx';
import { FrontDesk } from './screens/FrontDesk.tsx';
import { Setup } from './screens/Setup.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { MeContext, rememberDisplay, wasDisplay } from './session.tsx';
import './styles.css';

const here = () => window.location.pathname + window.location.search;

function App() {
  const screen = screenOf(window.location.pathname, window.location.search);
  if (screen.kind === 'signin') return <SignIn />;
  if (screen.kind === 'setup') return <Setup />;
  return <SignedIn screen={screen} />;
}

const isUnauthenticated = (err: unknown) => err instanceof ApiError && err.problem.status === 401;

function SignedIn({ screen }: { screen: Screen }) {
  const me = useQuery({
    queryKey: ['me'],
    queryFn: api.me,
    staleTime: Infinity,
    retry: (count, err) => !isUnauthenticated(err) && count < 2,
  });
  const [revoked, setRevoked] = useState(false);
  const queryClient = useQueryClient();

  useEffect(() => {
    let leaving = false; // several reads may answer 401 at once: save and leave once
    onUnauthenticated(() => {
      if (queryClient.getQueryData<Me>(['me'])?.kind === 'display') {
        setRevoked(true);
        return;
      }
      if (leaving) return;
      leaving = true;
      saveDrafts();
      window.location.assign(signInPath(here()));
    });
    return () => onUnauthenticated(null);
  }, [queryClient]);

  const signedOut = me.isError && isUnauthenticated(me.error);
  const showRevoked = revoked || (signedOut && screen.kind === 'board' && wasDisplay());
  const landing = me.data && screen.kind === 'desk' && !mayUse(me.data, screen) ? landingFor(me.data) : null;
  useEffect(() => {
    if (me.data) rememberDisplay(me.data.kind === 'display');
  }, [me.data]);
  useEffect(() => {
    if (showRevoked) return;
    if (signedOut) window.location.replace(signInPath(here()));
    else if (landing) window.location.replace(landing);
  }, [signedOut, landing, showRevoked]);

  if (showRevoked) return <Revoked />;
  // Only when who is asking was never read: a re-read that fails while the server restarts keeps the
  // screen (its live feed says "Reconnecting…" and recovers by itself; a board must not need a tap).
  if (me.isError && !signedOut && me.data === undefined) return <NoAnswer error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data || landing) return <p className="loading">Loading…</p>;
  const view = !mayUse(me.data, screen) ? (
    screen.kind === 'desk' && me.data.role === 'doctor' ? (
      <DoctorChooser />
    ) : (
      <NoAccess />
    )
  ) : (
    <ScreenView screen={screen} />
  );
  return (
    <MeContext.Provider value={me.data}>
      <LiveFeed>{view}</LiveFeed>
    </MeContext.Provider>
  );
}

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen.kind) {
    case 'doctor':
      return <DoctorConsole doctorId={screen.doctorId} />;
    case 'board':
      return <Board doctorIds={screen.doctorIds} />;
    case 'admin':
      return <Admin />;
    default:
      return <FrontDesk />;
  }
}

const queryClient = new QueryClient({
  defaultOptions: {
    // Fresh data comes from the live feed; a failed read is retried a little, then shown. A refusal
    // (signed out, not allowed) is an answer, not a failure: it is not asked again.
    queries: {
      staleTime: 60_000,
      retry: (count, err) => count < 2 && !(err instanceof ApiError && (err.problem.status === 401 || err.problem.status === 403)),
      retryDelay: 500,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
