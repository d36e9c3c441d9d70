// Tokens in a table, one row each, with the actions the token's status allows.

import type { Token, TokenAction } from '../api.ts';
import { hhmm, patientName } from '../format.ts';
import { SourceBadge, StatusBadge } from './Badges.tsx';
import { PrintSlipButton } from '../slip/PrintButtons.tsx';

/** The desk's actions by status (SPEC 7); complete and skip belong to the doctor's console. */
const DESK_ACTIONS: Record<Token['status'], TokenAction[]> = {
  WAITLISTED: ['cancel'],
  ALLOCATED: ['check-in', 'cancel', 'no-show'],
  CHECKED_IN: ['cancel', 'no-show'],
  CALLED: ['no-show'],
  COMPLETED: [],
  CANCELLED: [],
  NO_SHOW: [],
  EXPIRED: [],
};

export const ACTION_LABEL: Record<TokenAction, string> = {
  'check-in': 'Check in',
  cancel: 'Cancel',
  'no-show': 'No-show',
  complete: 'Complete',
  skip: 'Skip',
};

export interface TokenTableProps {
  tokens: Token[];
  /** What the first column says: the serving position, or the waitlist position. */
  caption: string;
  emptyText: string;
  onAction: (token: Token, action: TokenAction) => void;
  onHistory: (token: Token) => void;
  /** Transfer to another doctor or day (SPEC 7): offered where given, for the tokens that may move. */
  onTransfer?: (token: Token) => void;
  busyTokenId?: string | null;
}

/** The statuses a token may be transferred from: waiting, booked, or checked in and not yet called. */
export const TRANSFERABLE: ReadonlySet<Token['status']> = new Set(['WAITLISTED', 'ALLOCATED', 'CHECKED_IN']);

export function TokenTable({ tokens, caption, emptyText, onAction, onHistory, onTransfer, busyTokenId }: TokenTableProps) {
  if (tokens.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <table className="tokens">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Token</th>
          <th scope="col">Source</th>
          <th scope="col">Patient</th>
          <th scope="col">Status</th>
          <th scope="col">Expected</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.id} data-token={t.number} className={`row-${t.status.toLowerCase()}`}>
            <th scope="row" className="number">
              {t.number}
            </th>
            <td>
              <SourceBadge source={t.source} />
            </td>
            <td className="patient" title={[t.patient?.id, t.patient?.phone].filter(Boolean).join(' · ')}>
              {patientName(t)}
              {t.bumps > 0 && (
                <span className="moved" title="Moved to make room for a higher priority">
                  {' '}
                  moved
                </span>
              )}
            </td>
            <td>
              <StatusBadge status={t.status} />
            </td>
            <td className="eta">{t.estimatedAt ? hhmm(t.estimatedAt) : '–'}</td>
            <td className="actions">
              {DESK_ACTIONS[t.status].map((a) => (
                <button
                  key={a}
                  type="button"
                  className={a === 'check-in' ? 'small primary' : 'small'}
                  onClick={() => onAction(t, a)}
                  disabled={busyTokenId === t.id}
                  aria-label={`${ACTION_LABEL[a]} ${t.number}`}
                >
                  {ACTION_LABEL[a]}
                </button>
              ))}
              {onTransfer && TRANSFERABLE.has(t.status) && (
                <button type="button" className="small" onClick={() => onTransfer(t)} disabled={busyTokenId === t.id} aria-label={`Transfer ${t.number}`}>
                  Transfer
                </button>
              )}
              <PrintSlipButton token={t} />
              <button type="button" className="small link" onClick={() => onHistory(t)} aria-label={`History of ${t.number}`}>
                History
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
