// "Why was my token moved?": the token's events, each said in words, oldest first, with who did it
// ("by Anita (desk)") where a person, an API key or a display link did; the clock's own events say none.

import { useQuery } from '@tanstack/react-query';
import { api, errorText, type Schedule, type Token } from '../api.ts';
import { describeEvent, hhmm, slotsById, STATUS_LABEL, patientName } from '../format.ts';
import { keys } from '../live.tsx';
import { Dialog } from './Dialog.tsx';

/** Who caused an event, as the history answers it; null for the clock's own events and old ones. */
function byWhom(actor: unknown): string | null {
  if (typeof actor !== 'object' || actor === null) return null;
  const { kind, name, role } = actor as Record<string, unknown>;
  if (kind === 'system' || typeof name !== 'string' || typeof role !== 'string') return null;
  return `by ${name} (${role})`;
}

export function HistoryDialog({ token, schedule, onClose }: { token: Token; schedule: Schedule | undefined; onClose: () => void }) {
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
