// The board's calls, always on the screen whatever page is showing: the latest call very large with
// its room (it flashes when it comes), and the few before it.

import type { TFunction } from 'i18next';
import type { CSSProperties } from 'react';
import type { Language } from '../i18n/index.ts';
import { roomLabel } from './announce.ts';
import type { Call } from './calls.ts';
import { numberEms } from './DoctorCard.tsx';

export function CallsPanel({ calls, fresh, lang, t, budget }: { calls: Call[]; fresh: string | null; lang: Language; t: TFunction; budget: number }) {
  const [latest, ...earlier] = calls;
  // `budget`: how many calls before the latest fit (the board lowers it on a small screen).
  const before = earlier.slice(0, budget);
  return (
    <section className="board-calls" aria-labelledby="board-calls-title" data-fit="calls">
      <h2 id="board-calls-title">{t('nowCalling')}</h2>
      <div aria-live="polite" aria-atomic="true" className="board-latest-box">
        {latest ? (
          <p key={latest.key} className={latest.key === fresh ? 'board-latest flash' : 'board-latest'} data-testid="board-latest">
            <span className="board-latest-number" style={{ '--ems': numberEms(latest.number) } as CSSProperties}>
              {latest.number}
            </span>
            {latest.room !== null && <span className="board-latest-room">{roomLabel(latest.room, lang)}</span>}
            <span className="board-latest-doctor">{latest.doctorName}</span>
          </p>
        ) : (
          <p className="board-none">{t('nobodyCalled')}</p>
        )}
      </div>
      {before.length > 0 && (
        <>
          <h3>{t('calledBefore')}</h3>
          <ol className="board-before" data-testid="board-before">
            {before.map((c) => (
              <li key={c.key}>
                <span className="board-number">{c.number}</span>
                {c.room !== null && <span className="board-note">{roomLabel(c.room, lang)}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
