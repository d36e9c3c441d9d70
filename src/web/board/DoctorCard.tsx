// One doctor on the board: name, room, department, the late-doctor banner, who is with the doctor and
// who comes next, in the frame's language. `budget` bounds how much of the queue is listed (the board
// lowers it until every card fits its place on a wall screen): up to `budget` next tokens, and the
// waitlist line only when everything else fits too.

import type { TFunction } from 'i18next';
import type { CSSProperties } from 'react';
import type { BoardToken, DoctorBoard } from '../api.ts';
import { hhmm } from '../format.ts';
import type { Language } from '../i18n/index.ts';
import { roomLabel } from './announce.ts';

/** Everything: the API's 6 next tokens and the waitlist line. */
export const FULL_BUDGET = 7;

/** The width of a number in em at most (bold capitals and digits), for sizing it to its box. */
export const numberEms = (text: string) => `${Math.max(text.length, 3) * 0.68}`;

export function DoctorCard({ board, lang, t, budget }: { board: DoctorBoard; lang: Language; t: TFunction; budget: number }) {
  const { doctor, delay } = board;
  const shown = board.next.slice(0, Math.min(budget, FULL_BUDGET - 1));
  const hidden = board.next.length - shown.length + board.moreNext;
  return (
    <section className="board-card" aria-label={doctor.name} data-doctor={doctor.code} data-fit={doctor.id}>
      <header>
        <h2>{doctor.name}</h2>
        <p className="board-meta">
          {doctor.room !== null && (
            <span className="board-room" data-testid="board-room">
              {roomLabel(doctor.room, lang)}
            </span>
          )}{' '}
          <span className="board-dept">{doctor.department}</span>
        </p>
      </header>
      {delay && (
        <p className="board-late" data-testid="board-late">
          {delay.until === null ? t('lateOpen', { minutes: delay.minutes }) : t('late', { minutes: delay.minutes, until: hhmm(delay.until) })}
        </p>
      )}
      <div className="board-now">
        <h3>{t('nowServing')}</h3>
        <div className="board-serving" data-testid="board-serving">
          {board.serving.length === 0 ? (
            <span className="board-idle">–</span>
          ) : (
            board.serving.map((tk) => (
              <span key={tk.id} className="board-called" style={{ '--ems': numberEms(tk.number) } as CSSProperties}>
                {tk.number}
              </span>
            ))
          )}
        </div>
      </div>
      <div className="board-queue">
        <h3>
          {t('next')}
          {hidden > 0 && <span className="board-more"> · {shown.length > 0 ? t('more', { count: hidden }) : t('waiting', { count: hidden })}</span>}
        </h3>
        {(shown.length > 0 || board.next.length === 0) && (
          <ol className="board-next" data-testid="board-next">
            {shown.map((tk) => (
              <NextToken key={tk.id} token={tk} t={t} />
            ))}
            {board.next.length === 0 && <li className="board-none">{t('nobodyWaiting')}</li>}
          </ol>
        )}
        {budget >= FULL_BUDGET && board.waitlist.length > 0 && (
          <p className="board-waitlist" data-testid="board-waitlist">
            {t('waitingForSeat', { numbers: board.waitlist.map((tk) => tk.number).join(', ') })}
            {board.moreWaitlist > 0 && ` ${t('more', { count: board.moreWaitlist })}`}
          </p>
        )}
      </div>
    </section>
  );
}

function NextToken({ token, t }: { token: BoardToken; t: TFunction }) {
  const note = token.status === 'ALLOCATED' ? t('checkIn') : token.estimatedAt ? t('about', { time: hhmm(token.estimatedAt) }) : '';
  return (
    <li data-token={token.number}>
      <span className="board-number">{token.number}</span>
      {note && <span className="board-note">{note}</span>}
    </li>
  );
}
