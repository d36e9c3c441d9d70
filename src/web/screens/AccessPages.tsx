// The small pages around the screens: a screen this role may not use, a doctor of several doctors
// choosing a console, a display board whose link was revoked, and the server not answering.

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, errorText } from '../api.ts';
import { navLinks } from '../access.ts';
import { Header } from '../components/Header.tsx';
import { keys } from '../live.tsx';
import { useMe } from '../session.tsx';

export function NoAccess() {
  const me = useMe();
  const home = navLinks(me)[0];
  return (
    <div className="app">
      <Header title="No access" />
      <main className="card notice-page" data-testid="no-access">
        <h2>You do not have access to this screen</h2>
        <p>
          Signed in as {me.name}. {home && <a href={home.href}>Go to {home.label.toLowerCase()}</a>}
        </p>
      </main>
    </div>
  );
}

/** A doctor account of several doctors landing on /: which console to open. */
export function DoctorChooser() {
  const me = useMe();
  const doctors = useQuery({ queryKey: keys.doctors, queryFn: api.doctors });
  const mine = me.doctorIds === 'all' ? [] : me.doctorIds;
  const name = (id: string) => doctors.data?.find((d) => d.id === id);
  return (
    <div className="app">
      <Header title="Choose a console" />
      <main className="card notice-page">
        <h2>Which doctor’s console?</h2>
        <ul className="chooser">
          {mine.map((id) => {
            const d = name(id);
            return (
              <li key={id}>
                <a href={`/doctor/${encodeURIComponent(id)}`}>{d ? `${d.name} · ${d.department}` : id}</a>
              </li>
            );
          })}
        </ul>
      </main>
    </div>
  );
}

export const REVOKED_TEXT = "This screen's link was revoked. Ask an administrator for a new one.";

/** A display board whose link no longer works: nothing of the queue stays on the wall. */
export function Revoked() {
  const queryClient = useQueryClient();
  useEffect(() => {
    // Every number read so far goes with the screen (who is signed in stays: it is why this shows).
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  }, [queryClient]);
  return (
    <div className="board board-revoked">
      <main className="revoked" data-testid="revoked">
        <h1>Outpatient department</h1>
        <p>{REVOKED_TEXT}</p>
      </main>
    </div>
  );
}

/** Who is signed in could not be asked (the server is away): say so and try again. */
export function NoAnswer({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="auth-page">
      <main className="card auth-card" role="alert">
        <h1>The desk cannot reach the server</h1>
        <p>{errorText(error)}</p>
        <button type="button" className="primary" onClick={onRetry}>
          Try again
        </button>
      </main>
    </div>
  );
}
