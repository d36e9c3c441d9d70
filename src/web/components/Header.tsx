// The bar on top of every desk screen: where you are, the screens this role may use, who is signed in
// (with Sign out), the hospital's clock and whether live updates are flowing.

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api.ts';
import { navLinks, ROLE_LABEL } from '../access.ts';
import { hhmm } from '../format.ts';
import { useClock } from '../hooks.ts';
import { keys, useFeedState } from '../live.tsx';
import { useMe, useSignOut } from '../session.tsx';

export function Header({ title, children }: { title: string; children?: ReactNode }) {
  const clock = useClock();
  const me = useMe();
  const { signOut, busy } = useSignOut();
  // A doctor of several doctors sees their names in the links.
  const several = me.role === 'doctor' && me.doctorIds !== 'all' && me.doctorIds.length > 1;
  const doctors = useQuery({ queryKey: keys.doctors, queryFn: api.doctors, enabled: several });
  const names = new Map((doctors.data ?? []).map((d) => [d.id, d.name]));
  const here = window.location.pathname + window.location.search;
  return (
    <header className="topbar">
      <a className="brand" href="/">
        <span aria-hidden="true" className="brand-mark">+</span> OPD tokens
      </a>
      <h1>{title}</h1>
      <nav aria-label="Screens">
        {navLinks(me, names).map((l) => (
          <a key={l.href} href={l.href} aria-current={l.href === here || l.href === window.location.pathname ? 'page' : undefined}>
            {l.label}
          </a>
        ))}
        {children}
      </nav>
      <div className="topbar-status">
        {clock.data && (
          <span className="clock" title={`Hospital time (${clock.data.timeZone}), ${clock.data.today}`}>
            {hhmm(clock.data.now)}
          </span>
        )}
        <FeedIndicator />
      </div>
      <div className="topbar-user">
        <span data-testid="signed-in-as">
          <span className="sr-only">Signed in as </span>
          <strong>{me.name}</strong> <span className="role">{ROLE_LABEL[me.role]}</span>
        </span>
        <button type="button" className="small signout" onClick={signOut} disabled={busy}>
          Sign out
        </button>
      </div>
    </header>
  );
}

export function FeedIndicator() {
  const state = useFeedState();
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`feed feed-${state}`} role="status" data-testid="feed-state">
      {text}
    </span>
  );
}
