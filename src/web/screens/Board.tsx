// The waiting-room board (/board?doctors=a,b): large, high-contrast, readable across a room. Per doctor
// the token being served and the next few, by number only: its data (GET /api/board) carries no
// patient names at all. It refreshes on every event of its doctors, and by itself every half minute
// (the current slot moves on with the clock).

import { useQuery } from '@tanstack/react-query';
import { api, ApiError, errorText, type BoardToken, type DoctorBoard } from '../api.ts';
import { FeedIndicator } from '../components/Header.tsx';
import { hhmm, slotLabel } from '../format.ts';
import { keys } from '../live.tsx';

export function Board({ doctorIds }: { doctorIds: string[] }) {
  const board = useQuery({
    queryKey: keys.board(doctorIds, undefined),
    queryFn: () => api.board(doctorIds),
    refetchInterval: 30_000,
    // A board on the wall keeps showing what it had while the server is away, and tries again; a
    // refusal (an unknown doctor in the address) is shown at once instead.
    retry: (_count, err) => !(err instanceof ApiError) || err.problem.status === 0 || err.problem.status >= 500,
    retryDelay: 2000,
  });
  const doctors = board.data?.doctors ?? [];
  return (
    <div className="board">
      <header className="board-head">
        <h1>Outpatient department</h1>
        <div className="board-status">
          {board.data && <span className="board-clock">{hhmm(board.data.now)}</span>}
          <FeedIndicator />
        </div>
      </header>
      {board.isError && !board.data && <p className="board-error">{errorText(board.error)}</p>}
      {board.data && doctors.length === 0 && <p className="board-error">No doctors to show.</p>}
      <main className={`board-grid cols-${Math.min(Math.max(doctors.length, 1), 4)}`}>
        {doctors.map((d) => (
          <DoctorPanel key={d.doctor.id} board={d} />
        ))}
      </main>
    </div>
  );
}

function DoctorPanel({ board }: { board: DoctorBoard }) {
  return (
    <section className="board-panel" aria-label={board.doctor.name} data-doctor={board.doctor.code}>
      <header>
        <h2>{board.doctor.name}</h2>
        <p>
          {board.doctor.department}
          {board.currentSlot && <> · {slotLabel(board.currentSlot)}</>}
        </p>
      </header>
      <div className="board-now">
        <h3>Now serving</h3>
        <div className="board-serving" data-testid="board-serving">
          {board.serving.length === 0 ? (
            <span className="board-idle">–</span>
          ) : (
            board.serving.map((t) => (
              <span key={t.id} className="board-called">
                {t.number}
              </span>
            ))
          )}
        </div>
      </div>
      <div className="board-queue">
        <h3>Next</h3>
        <ol className="board-next" data-testid="board-next">
          {board.next.map((t) => (
            <NextToken key={t.id} token={t} />
          ))}
          {board.next.length === 0 && <li className="board-none">Nobody waiting</li>}
        </ol>
        {board.moreNext > 0 && <p className="board-more">and {board.moreNext} more</p>}
        {board.waitlist.length > 0 && (
          <p className="board-waitlist" data-testid="board-waitlist">
            Waiting for a seat: {board.waitlist.map((t) => t.number).join(', ')}
            {board.moreWaitlist > 0 && ` and ${board.moreWaitlist} more`}
          </p>
        )}
      </div>
    </section>
  );
}

function NextToken({ token }: { token: BoardToken }) {
  return (
    <li data-token={token.number}>
      <span className="board-number">{token.number}</span>
      <span className="board-note">
        {token.status === 'ALLOCATED' ? 'please check in' : token.estimatedAt ? `about ${hhmm(token.estimatedAt)}` : ''}
      </span>
    </li>
  );
}
