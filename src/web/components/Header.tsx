// The bar on top of every desk screen: where you are, where else to go, the hospital's clock and
// whether live updates are flowing.

import type { ReactNode } from 'react';
import { hhmm } from '../format.ts';
import { useClock } from '../hooks.ts';
import { useFeedState } from '../live.tsx';

export function Header({ title, children }: { title: string; children?: ReactNode }) {
  const clock = useClock();
  return (
    <header className="topbar">
      <a className="brand" href="/">
        <span aria-hidden="true" className="brand-mark">+</span> OPD tokens
      </a>
      <h1>{title}</h1>
      <nav aria-label="Screens">
        <a href="/">Front desk</a>
        {children}
        <a href="/board">Board</a>
        <a href="/admin">Admin</a>
      </nav>
      <div className="topbar-status">
        {clock.data && (
          <span className="clock" title={`Hospital time (${clock.data.timeZone}), ${clock.data.today}`}>
            {hhmm(clock.data.now)}
          </span>
        )}
        <FeedIndicator />
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
