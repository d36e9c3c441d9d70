// The web desk: one page, four screens chosen by path (the server serves index.html for each of them,
// see src/api/web.ts): / front desk, /doctor/:id console, /board waiting-room board, /admin set-up.

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LiveFeed } from './live.tsx';
import { Admin } from './screens/Admin.tsx';
import { Board } from './screens/Board.tsx';
import { DoctorConsole } from './screens/DoctorConsole.tsx';
import { FrontDesk } from './screens/FrontDesk.tsx';
import './styles.css';

function Screen() {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  const doctor = /^\/doctor\/([^/]+)$/.exec(path);
  if (doctor) return <DoctorConsole doctorId={decodeURIComponent(doctor[1]!)} />;
  if (path === '/board') {
    const ids = new URLSearchParams(window.location.search).get('doctors');
    return <Board doctorIds={ids ? ids.split(',').filter(Boolean) : []} />;
  }
  if (path === '/admin') return <Admin />;
  return <FrontDesk />;
}

const queryClient = new QueryClient({
  defaultOptions: {
    // Fresh data comes from the live feed; a failed read is retried a little, then shown.
    queries: { staleTime: 60_000, retry: 2, retryDelay: 500 },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LiveFeed>
        <Screen />
      </LiveFeed>
    </QueryClientProvider>
  </StrictMode>,
);
