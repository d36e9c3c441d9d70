// The waiting-room board (/board?doctors=a,b&lang=en,hi&turn=12): large, high-contrast, readable
// across a hall. Per doctor the room, a late-doctor banner, the token with the doctor and the next few,
// by number only: its data (GET /api/board) carries no patient names at all. Beside them, the latest
// calls. On each call (TokenCalled on the live feed) it chimes and says the number and the room in
// each of its languages (board/sound.ts). On a wall screen at most six doctors show at once; more go
// on pages that turn by themselves, and with two languages each page shows in both (board/pages.ts).
// It refreshes on every event of its doctors, and by itself every half minute.

import '@fontsource/noto-sans-devanagari/400.css';
import '@fontsource/noto-sans-devanagari/700.css';
import '../board/board.css';
import { BOARD_NS } from '../board/messages.ts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type CSSProperties, type RefObject } from 'react';
import { api, ApiError, errorText, type Board as BoardData } from '../api.ts';
import { announcement } from '../board/announce.ts';
import { matchCalls, servingNow, type Call, type PendingCall } from '../board/calls.ts';
import { CallsPanel } from '../board/CallsPanel.tsx';
import { DoctorCard, FULL_BUDGET } from '../board/DoctorCard.tsx';
import { framesOf, gridOf, MAX_PER_PAGE, paged } from '../board/pages.ts';
import { boardSettings } from '../board/settings.ts';
import { BoardSound } from '../board/sound.ts';
import { FeedIndicator } from '../components/Header.tsx';
import { hhmm } from '../format.ts';
import { i18n, LOCALES, type Language } from '../i18n/index.ts';
import { keys, useFeedEvents } from '../live.tsx';

/** The calls the panel keeps: the latest and four before it. */
const MAX_CALLS = 5;

export function Board({ doctorIds }: { doctorIds: string[] }) {
  const settings = useMemo(() => boardSettings(window.location.search), []);
  const board = useQuery({
    queryKey: keys.board(doctorIds, undefined),
    queryFn: () => api.board(doctorIds),
    refetchInterval: 30_000,
    // A board on the wall keeps showing what it had while the server is away, and tries again; a
    // refusal (an unknown doctor in the address) is shown at once instead.
    retry: (_count, err) => !(err instanceof ApiError) || err.problem.status === 0 || err.problem.status >= 500,
    retryDelay: 2000,
  });
  const [sound] = useState(() => new BoardSound());
  const blocked = useSyncExternalStore(
    (onChange) => sound.onChange(onChange),
    () => sound.blocked,
  );
  useEffect(() => () => sound.silence(), [sound]);
  const { calls, fresh } = useCalls(board.data, board.dataUpdatedAt, settings.languages, sound);

  const wall = useWall();
  const doctors = board.data?.doctors ?? [];
  const pages = wall ? paged(doctors, MAX_PER_PAGE) : [doctors];
  const frames = framesOf(pages.length, settings.languages);
  const frameIndex = useTurning(frames.length, settings.turnSeconds);
  const frame = frames[frameIndex % frames.length]!;
  const page = pages[Math.min(frame.page, pages.length - 1)] ?? [];
  const grid = gridOf(pages[0]?.length ?? 1);
  const t = i18n.getFixedT(frame.lang, BOARD_NS);

  const viewport = useViewport();
  const fontLoads = useFontLoads();
  const bodyRef = useRef<HTMLDivElement>(null);
  const budgetOf = useFit(bodyRef, wall, `${frameIndex}|${board.dataUpdatedAt}|${viewport}|${fontLoads}`);

  return (
    <div className={`board ${wall ? 'board-wall' : 'board-flow'}`} lang={frame.lang}>
      <header className="board-head">
        <h1>{t('title')}</h1>
        <div className="board-status">
          {blocked && (
            <button type="button" className="board-sound" onClick={() => void sound.enable()} title={t('enableSoundHint')}>
              {t('enableSound')}
            </button>
          )}
          {pages.length > 1 && (
            <span className="board-page" data-testid="board-page">
              {t('page', { page: frame.page + 1, pages: pages.length })}
            </span>
          )}
          {board.data && <span className="board-clock">{hhmm(board.data.now)}</span>}
          <FeedIndicator />
        </div>
      </header>
      {board.isError && !board.data && <p className="board-error">{errorText(board.error)}</p>}
      {board.data && doctors.length === 0 && <p className="board-error">{t('noDoctors')}</p>}
      <div className="board-body" ref={bodyRef}>
        <CallsPanel calls={calls} fresh={fresh} lang={frame.lang} t={t} budget={budgetOf('calls')} />
        <main className="board-grid" style={{ '--cols': grid.cols, '--rows': grid.rows } as CSSProperties}>
          {page.map((d) => (
            <DoctorCard key={d.doctor.id} board={d} lang={frame.lang} t={t} budget={budgetOf(d.doctor.id)} />
          ))}
        </main>
      </div>
    </div>
  );
}

/**
 * The calls heard on the live feed, newest first, each announced once the board's data shows its
 * number (board/calls.ts); before the first, the tokens being served. `fresh` is the call to flash.
 */
function useCalls(data: BoardData | undefined, updatedAt: number, languages: Language[], sound: BoardSound): { calls: Call[]; fresh: string | null } {
  const pending = useRef<PendingCall[]>([]);
  const [heard, setHeard] = useState<{ calls: Call[]; fresh: string | null } | null>(null);
  useFeedEvents((e) => {
    if (e.type === 'TokenCalled' && typeof e.tokenId === 'string') pending.current.push({ tokenId: e.tokenId, seq: e.seq, misses: 0 });
  });
  useEffect(() => {
    if (!data) return;
    const { found, left } = matchCalls(pending.current, data);
    pending.current = left;
    if (found.length === 0) return;
    for (const c of found) sound.announce(languages.map((lang) => ({ text: announcement(c.number, c.room, lang), lang: LOCALES[lang] })));
    const newest = [...found].reverse();
    setHeard((prev) => {
      const older = (prev?.calls ?? servingNow(data)).filter((c) => !found.some((f) => f.tokenId === c.tokenId));
      return { calls: [...newest, ...older].slice(0, MAX_CALLS), fresh: newest[0]!.key };
    });
    // Only a new read matters (its data may be equal to the last one's).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [updatedAt]);
  return heard ?? { calls: data ? servingNow(data).slice(0, MAX_CALLS) : [], fresh: null };
}

/** A wall screen (wide, landscape): fixed places for six doctors, pages for more. Else one long column. */
function useWall(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(WALL_QUERY);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(WALL_QUERY).matches,
  );
}
const WALL_QUERY = '(min-width: 1000px) and (min-aspect-ratio: 6/5)';

function useViewport(): string {
  return useSyncExternalStore(
    (onChange) => {
      window.addEventListener('resize', onChange);
      return () => window.removeEventListener('resize', onChange);
    },
    () => `${window.innerWidth}x${window.innerHeight}`,
  );
}

/** Counts the fonts loaded so far (the Devanagari font arrives with the first Hindi text): sizes change. */
function useFontLoads(): number {
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    const fonts = document.fonts;
    const onDone = () => setLoads((n) => n + 1);
    fonts.addEventListener('loadingdone', onDone);
    return () => fonts.removeEventListener('loadingdone', onDone);
  }, []);
  return loads;
}

/** The frame on show: the next one every `seconds`. */
function useTurning(count: number, seconds: number): number {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (count <= 1) return;
    const timer = window.setInterval(() => setIndex((i) => (i + 1) % count), seconds * 1000);
    return () => window.clearInterval(timer);
  }, [count, seconds]);
  return index % Math.max(count, 1);
}

/**
 * How much of each box fits (a card's queue: DoctorCard's budget; the calls panel: the calls before
 * the latest), by the box's `data-fit` name. On a wall screen nothing may be cut off, so after each
 * render (before it is painted) a box taller or wider than its place loses one line and the page
 * renders again. `key` names what was measured; a new key starts from everything.
 */
const NOTHING_CUT: Record<string, number> = {};

function useFit(ref: RefObject<HTMLElement | null>, enabled: boolean, key: string): (name: string) => number {
  const [fit, setFit] = useState<{ key: string; budgets: Record<string, number> }>({ key: '', budgets: {} });
  const budgets = fit.key === key ? fit.budgets : NOTHING_CUT;
  useLayoutEffect(() => {
    if (!enabled || ref.current === null) return;
    const over: Record<string, number> = {};
    for (const box of ref.current.querySelectorAll<HTMLElement>('[data-fit]')) {
      const name = box.dataset.fit!;
      const budget = budgets[name] ?? FULL_BUDGET;
      if (budget > 0 && (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1)) over[name] = budget - 1;
    }
    // A measurement of the laid-out page decides the next render (React's own case for a layout effect).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (Object.keys(over).length > 0) setFit({ key, budgets: { ...budgets, ...over } });
  }, [ref, enabled, key, budgets]);
  return (name) => (enabled ? (budgets[name] ?? FULL_BUDGET) : FULL_BUDGET);
}
