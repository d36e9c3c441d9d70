// The doctor-day's finished tokens (seen, cancelled, no-show, expired), collapsed under the slots:
// a patient who asks "was I called?" is found here, with the token's history, not nowhere.

import type { Schedule, Token, TokenAction } from '../api.ts';
import { TokenTable } from './TokenTable.tsx';

/** Seen tokens (still in their slot's list) and the day's cancelled, no-show and expired ones, by number. */
export function finishedTokens(schedule: Schedule): Token[] {
  const seen = schedule.slots.flatMap((s) => s.tokens.filter((t) => t.status === 'COMPLETED'));
  const byNumber = (a: Token, b: Token) => a.number.localeCompare(b.number, 'en', { numeric: true });
  return [...seen, ...(schedule.finished ?? [])].sort(byNumber);
}

export function FinishedTokens({ schedule, onAction, onHistory }: { schedule: Schedule; onAction: (t: Token, a: TokenAction) => void; onHistory: (t: Token) => void }) {
  const tokens = finishedTokens(schedule);
  const count = (status: Token['status']) => tokens.filter((t) => t.status === status).length;
  return (
    <details className="card finished" data-testid="finished">
      <summary>
        <h2>
          Finished <span className="count">{tokens.length}</span>
        </h2>
        <span className="muted">
          {count('COMPLETED')} seen · {count('CANCELLED')} cancelled · {count('NO_SHOW')} no-show · {count('EXPIRED')} expired
        </span>
      </summary>
      <TokenTable tokens={tokens} caption={`Finished tokens of ${schedule.date}`} emptyText="Nobody has finished yet." onAction={onAction} onHistory={onHistory} />
    </details>
  );
}
