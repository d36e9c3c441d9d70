// Live updates: one EventSource on GET /api/events per page. Each event names its doctor; the screens'
// queries of that doctor (and the boards that show it) are fetched again, so two desks side by side
// agree. The clock is read on its own timer, not per event. The
// browser reconnects by itself (resuming after the last event seen, with Last-Event-ID); if it gives up
// (the server answered with an error), a new connection is made after a pause. Each (re)connection
// fetches everything again: nothing that happened while disconnected is missed. An EventSource cannot
// tell a refusal from an outage, so when it gives up the page asks who is signed in: a 401 there (the
// session ended, the display link was revoked) is handled like any other 401 (api.ts). A screen that
// must act on an event itself (the board chimes and speaks on a call) listens with `useFeedEvents`.

import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { WireEvent } from '../shared/feed-events.ts';
import { EVENT_TYPES } from '../shared/vocabulary.ts';
import { api, ApiError, reportUnauthenticated, type FeedEvent } from './api.ts';

/** The keys of the screens' queries: what an event invalidates follows from them. */
export const keys = {
  clock: ['clock'] as const,
  doctors: ['doctors'] as const,
  schedule: (doctorId: string, date: string | undefined) => ['doctor', doctorId, 'schedule', date ?? 'today'] as const,
  board: (doctorIds: string[], date: string | undefined) => ['board', doctorIds.join(','), date ?? 'today'] as const,
  history: (tokenId: string) => ['token', tokenId, 'history'] as const,
};

export type FeedState = 'connecting' | 'live' | 'reconnecting';

const FeedContext = createContext<FeedState>('connecting');

/** Screens that want the events themselves (the desk's "moved" notices, the board's calls), beside the refetching. */
type FeedListener = (event: WireEvent) => void;
const ListenersContext = createContext<Set<FeedListener> | null>(null);

/**
 * Calls `listener` with each event of the live feed, as it arrives (before the screens fetch again).
 * The listener may change between renders; the latest one is called.
 */
export function useFeedEvents(listener: FeedListener): void {
  const listeners = useContext(ListenersContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    if (listeners === null) return;
    const call: FeedListener = (e) => latest.current(e);
    listeners.add(call);
    return () => {
      listeners.delete(call);
    };
  }, [listeners]);
}

/** The state of the page's live connection, for an indicator. */
export function useFeedState(): FeedState {
  return useContext(FeedContext);
}

/** After an error that ends the EventSource for good, wait this long before a new one. */
const RECONNECT_MS = 2000;
/** Events come in bursts (a booking that bumps is 3–4 events): fetch once per burst. */
const BURST_MS = 40;

export function LiveFeed({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<FeedState>('connecting');
  const [listeners] = useState(() => new Set<FeedListener>());

  useEffect(() => {
    let source: EventSource | null = null;
    let lastSeq: number | null = null;
    let stopped = false;
    let reconnect: ReturnType<typeof setTimeout> | undefined;
    let flush: ReturnType<typeof setTimeout> | undefined;
    const doctors = new Set<string>();

    const refetch = () => {
      flush = undefined;
      const named = new Set(doctors);
      doctors.clear();
      for (const id of named) void queryClient.invalidateQueries({ queryKey: ['doctor', id] });
      // A board fetches again only for its own doctors (an empty list is every doctor).
      void queryClient.invalidateQueries({
        queryKey: ['board'],
        predicate: (q) => {
          const ids = String(q.queryKey[1]);
          return ids === '' || ids.split(',').some((id) => named.has(id));
        },
      });
      void queryClient.invalidateQueries({ queryKey: ['token'] });
      // A search's results carry statuses and actions: any change may have changed them.
      void queryClient.invalidateQueries({ queryKey: ['search'] });
    };
    const onEvent = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as FeedEvent;
      lastSeq = event.seq;
      doctors.add(event.doctorId);
      for (const listener of listeners) listener(event as WireEvent);
      flush ??= setTimeout(refetch, BURST_MS);
    };
    const connect = () => {
      source = new EventSource(lastSeq === null ? '/api/events' : `/api/events?after=${lastSeq}`);
      for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
      source.onopen = () => {
        setState('live');
        void queryClient.invalidateQueries();
      };
      source.onerror = () => {
        if (stopped || source === null) return;
        setState('reconnecting');
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          api.me().catch((err: unknown) => {
            if (!stopped && err instanceof ApiError && err.problem.status === 401) reportUnauthenticated();
          });
          reconnect = setTimeout(connect, RECONNECT_MS);
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(reconnect);
      clearTimeout(flush);
    };
  }, [queryClient, listeners]);

  return (
    <FeedContext.Provider value={state}>
      <ListenersContext.Provider value={listeners}>{children}</ListenersContext.Provider>
    </FeedContext.Provider>
  );
}
