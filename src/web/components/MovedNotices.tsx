// A patient moved by someone else's doing (an emergency took the seat, the slot closed, the doctor is
// late) is said at once to every receptionist, from the live feed: "GM-004 (Asha) moved to
// 10:00–11:00: an emergency took the seat". The last few stay until dismissed.

import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, type Schedule, type Source } from '../api.ts';
import { movedNotice, slotLabel } from '../format.ts';
import { keys, useFeedEvents } from '../live.tsx';
import type { WireEvent } from '../../shared/feed-events.ts';

/** How many notices stay on screen. */
const KEEP = 5;

interface Moved {
  seq: number;
  text: string;
}

const tokenIds = (day: Schedule) => new Set([...day.slots.flatMap((s) => s.tokens), ...day.waitlist].map((t) => t.id));

export function MovedNotices() {
  const queryClient = useQueryClient();
  const [notices, setNotices] = useState<Moved[]>([]);
  /** Sources of tokens issued since the page opened: the one that took a seat may be brand new. */
  const sources = useRef(new Map<string, Source>());

  /** The doctor-day as it was before the move (the cache), else as it is now. */
  const dayOf = async (doctorId: string, date: string): Promise<Schedule | undefined> => {
    const cached = queryClient.getQueryData<Schedule>(keys.schedule(doctorId, date)) ?? queryClient.getQueryData<Schedule>(keys.schedule(doctorId, undefined));
    if (cached?.date === date) return cached;
    return api.schedule(doctorId, date).catch(() => undefined);
  };

  const hear = async (event: WireEvent) => {
    if (event.type === 'TokenIssued') sources.current.set(event.tokenId, event.source);
    if (event.type !== 'TokenBumped' && !((event.type === 'TokenAllocated' || event.type === 'TokenWaitlisted') && event.reason === 'moved')) return;
    let day = await dayOf(event.doctorId, event.date);
    // A token issued a moment ago may not be in the page's copy yet: the day as it is now has it.
    if (!day || !tokenIds(day).has(event.tokenId)) day = (await api.schedule(event.doctorId, event.date).catch(() => undefined)) ?? day;
    const tokens = new Map([...(day?.slots.flatMap((s) => s.tokens) ?? []), ...(day?.waitlist ?? [])].map((t) => [t.id, t]));
    const slots = new Map((day?.slots ?? []).map((s) => [s.id, slotLabel(s)]));
    const text = movedNotice(event, {
      token: (id) => tokens.get(id),
      slotLabel: (id) => slots.get(id),
      source: (id) => sources.current.get(id) ?? tokens.get(id)?.source,
    });
    if (text !== null) setNotices((list) => [{ seq: event.seq, text }, ...list.filter((n) => n.seq !== event.seq)].slice(0, KEEP));
  };
  useFeedEvents((event) => void hear(event));

  return (
    <section className={notices.length > 0 ? 'card moved-notices' : 'sr-only'} aria-label="Patients moved" data-testid="moved-notices">
      <ul aria-live="polite">
        {notices.map((n) => (
          <li key={n.seq}>
            <span>{n.text}</span>
            <button type="button" className="small link" onClick={() => setNotices((list) => list.filter((x) => x.seq !== n.seq))} aria-label={`Dismiss: ${n.text}`}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
