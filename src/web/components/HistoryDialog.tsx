// "Why was my token moved?": the token's events, each said in words, oldest first, with who did it
// ("by Anita (desk)") where a person, an API key or a display link did; the clock's own events say none.

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText, type Schedule, type Token } from '../api.ts';
import { dayMonth, describeEvent, hhmm, patientName, slotsById, STATUS_LABEL } from '../format.ts';
import { keys } from '../live.tsx';
import { Dialog } from './Dialog.tsx';

/** Who caused an event, as the history answers it; null for the clock's own events and old ones. */
function byWhom(actor: unknown): string | null {
  if (typeof actor !== 'object' || actor === null) return null;
  const { kind, name, role } = actor as Record<string, unknown>;
  if (kind === 'system' || typeof name !== 'string' || typeof role !== 'string') return null;
  return `by ${name} (${role})`;
}

export function HistoryDialog({ token: first, schedule, onClose }: { token: Token; schedule: Schedule | undefined; onClose: () => void }) {
  // A transferred token links to its other token; following the link shows that token's history here.
  const [shownId, setShownId] = useState(first.id);
  const other = useQuery({ queryKey: ['token', shownId], queryFn: () => api.token(shownId), enabled: shownId !== first.id });
  const token = shownId === first.id ? first : other.data;
  if (!token) {
    return (
      <Dialog title="History" onClose={onClose} footer={<button type="button" onClick={onClose} autoFocus>Close</button>}>
        {other.isError ? <p className="error">{errorText(other.error)}</p> : <p>Loading…</p>}
      </Dialog>
    );
  }
  return <TokenHistory key={token.id} token={token} schedule={schedule} onFollow={setShownId} onClose={onClose} />;
}

function TokenHistory({ token, schedule, onFollow, onClose }: { token: Token; schedule: Schedule | undefined; onFollow: (id: string) => void; onClose: () => void }) {
  const history = useQuery({ queryKey: keys.history(token.id), queryFn: () => api.tokenHistory(token.id) });
  const slots = slotsById(schedule);
  const numbers = new Map<string, string>();
  for (const t of [...(schedule?.slots.flatMap((s) => s.tokens) ?? []), ...(schedule?.waitlist ?? [])]) numbers.set(t.id, t.number);
  for (const e of history.data ?? []) if (e.type === 'TokenIssued') numbers.set(String(e.tokenId), String(e.number));
  return (
    <Dialog
      title={`History of ${token.number}`}
      onClose={onClose}
      footer={
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      }
    >
      <p className="muted">
        {patientName(token)} · now {STATUS_LABEL[token.status].toLowerCase()}
      </p>
      {(token.transferredFrom || token.transferredTo) && (
        <p className="transfer-links" data-testid="transfer-links">
          {token.transferredFrom && (
            <>
              Transferred from{' '}
              <button type="button" className="link" onClick={() => onFollow(token.transferredFrom!.tokenId)}>
                {token.transferredFrom.number} of {dayMonth(token.transferredFrom.date)}
              </button>
            </>
          )}
          {token.transferredTo && (
            <>
              Transferred to{' '}
              <button type="button" className="link" onClick={() => onFollow(token.transferredTo!.tokenId)}>
                {token.transferredTo.number} of {dayMonth(token.transferredTo.date)}
              </button>
            </>
          )}
        </p>
      )}
      {history.isPending && <p>Loading…</p>}
      {history.isError && <p className="error">{errorText(history.error)}</p>}
      {history.data && (
        <ol className="history" data-testid="history">
          {history.data.map((e) => {
            const by = byWhom(e.actor);
            return (
              <li key={e.seq}>
                <time dateTime={e.at}>{hhmm(e.at)}</time> {describeEvent(e, slots, numbers)}
                {by && <span className="muted"> · {by}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </Dialog>
  );
}
