// The front desk (/): the search box over every doctor, then one doctor-day at a time. Slots as cards
// with their seats and their tokens in serving order, the waitlist in promotion order, the day's
// finished tokens (collapsed), the form that issues tokens, and each token's actions and history from
// its row. A late doctor is said at the top; a patient moved by someone else's doing is said at once.
// Keys: `/` search, `n` new token, `p` print the last slip (shortcuts.ts).

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText, type Schedule, type ScheduleSlot, type Token, type TokenAction } from '../api.ts';
import { SourceBadge } from '../components/Badges.tsx';
import { ConfirmDialog } from '../components/Dialog.tsx';
import { Header } from '../components/Header.tsx';
import { HistoryDialog } from '../components/HistoryDialog.tsx';
import { IssueForm } from '../components/IssueForm.tsx';
import { NoticeLine, type Notice } from '../components/Notice.tsx';
import { ACTION_LABEL, TokenTable } from '../components/TokenTable.tsx';
import { TransferDialog } from '../components/TransferDialog.tsx';
import { FinishedTokens } from '../components/FinishedTokens.tsx';
import { MovedNotices } from '../components/MovedNotices.tsx';
import { SEARCH_INPUT_ID, SearchBox } from '../components/SearchBox.tsx';
import { ISSUE_FIRST_FIELD_ID } from '../components/IssueForm.tsx';
import { delayText, patientName, seats, slotLabel } from '../format.ts';
import { useShortcuts } from '../shortcuts.ts';
import { printLastSlip } from '../slip/slip.ts';
import { useClock, useDoctors, useSchedule, useUrlParam } from '../hooks.ts';
import { mayUse } from '../access.ts';
import { useMe } from '../session.tsx';

const DESTRUCTIVE: Partial<Record<TokenAction, string>> = {
  cancel: 'The seat goes to the next patient waiting. A cancelled token cannot be restored.',
  'no-show': 'The patient is marked absent and the seat is given up. This cannot be undone.',
};

export function FrontDesk() {
  const doctors = useDoctors();
  const clock = useClock();
  const [doctorParam, setDoctor] = useUrlParam('doctor');
  const [date, setDate] = useUrlParam('date');
  const doctorId = doctorParam ?? doctors.data?.[0]?.id;
  const schedule = useSchedule(doctorId, date);
  const [outcome, setOutcome] = useState<Notice | null>(null);
  const [confirm, setConfirm] = useState<{ token: Token; action: TokenAction } | null>(null);
  const [history, setHistory] = useState<Token | null>(null);
  // The token being transferred and its day (a search result may be of another day than the one shown).
  const [transfer, setTransfer] = useState<{ token: Token; date: string } | null>(null);
  const transferOnDay = (token: Token) => schedule.data && setTransfer({ token, date: schedule.data.date });
  const queryClient = useQueryClient();
  const me = useMe();

  const act = useMutation({
    mutationFn: ({ token, action }: { token: Token; action: TokenAction }) => api.act(token.id, action),
    onSuccess: (token, { action }) => {
      setOutcome({ kind: 'ok', headline: `${token.number}: ${ACTION_LABEL[action].toLowerCase()} done` });
      void queryClient.invalidateQueries({ queryKey: ['doctor', token.doctorId] });
      void queryClient.invalidateQueries({ queryKey: ['search'] });
    },
    onError: (err, { token, action }) => {
      setOutcome({ kind: 'error', headline: `${ACTION_LABEL[action]} ${token.number} failed`, detail: errorText(err) });
      // The refusal often means the token changed elsewhere: show where it stands now.
      void queryClient.invalidateQueries({ queryKey: ['doctor', token.doctorId] });
      void queryClient.invalidateQueries({ queryKey: ['search'] });
    },
    onSettled: () => setConfirm(null),
  });

  const onAction = (token: Token, action: TokenAction) => {
    if (DESTRUCTIVE[action]) setConfirm({ token, action });
    else act.mutate({ token, action });
  };

  // A new doctor or day starts with a clean answer box.
  const chooseDoctor = (id: string) => {
    setOutcome(null);
    setDoctor(id);
  };
  const chooseDate = (d: string | undefined) => {
    setOutcome(null);
    setDate(d);
  };

  useShortcuts((shortcut) => {
    if (shortcut === 'search') document.getElementById(SEARCH_INPUT_ID)?.focus();
    else if (shortcut === 'new-token') document.getElementById(ISSUE_FIRST_FIELD_ID)?.focus();
    else {
      printLastSlip().then(
        (printed) => {
          if (!printed) setOutcome({ kind: 'error', headline: 'No token issued on this page yet: nothing to print' });
        },
        (err: unknown) => setOutcome({ kind: 'error', headline: 'The slip could not be printed', detail: errorText(err) }),
      );
    }
  });

  const day = schedule.data;
  const late = delayText(day?.delay ?? null);
  return (
    <div className="app">
      <Header title="Front desk">{doctorId && mayUse(me, { kind: 'doctor', doctorId }) && <a href={`/doctor/${encodeURIComponent(doctorId)}`}>Doctor console</a>}</Header>
      <div className="toolbar">
        <label>
          Doctor
          <select value={doctorId ?? ''} onChange={(e) => chooseDoctor(e.target.value)} name="doctor">
            {doctors.data?.length === 0 && <option value="">No doctors yet</option>}
            {doctors.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} · {d.department} ({d.code})
              </option>
            ))}
          </select>
        </label>
        <label>
          Date
          <input type="date" name="date" value={date ?? day?.date ?? clock.data?.today ?? ''} onChange={(e) => chooseDate(e.target.value || undefined)} />
        </label>
        {date !== undefined && date !== clock.data?.today && (
          <button type="button" className="link" onClick={() => chooseDate(undefined)}>
            Today
          </button>
        )}
        {day && <DaySummary schedule={day} />}
      </div>
      {late && (
        <p className="card delay-banner" role="status" data-testid="delay-banner">
          <strong>{day?.doctor.name}</strong> · {late}
        </p>
      )}
      <SearchBox today={clock.data?.today} onAction={onAction} onTransfer={(r) => setTransfer({ token: r.token, date: r.date })} busyTokenId={act.isPending ? act.variables?.token.id : null} />
      <MovedNotices />
      {doctors.data?.length === 0 && (
        <p className="card empty-state">
          No doctors yet. {me.role === 'admin' ? <a href="/admin">Add a doctor and their slots</a> : 'An administrator adds the doctors and their slots'} to start issuing tokens.
        </p>
      )}
      {schedule.isError && <p className="card error">{errorText(schedule.error)}</p>}
      {day && (
        <main className="desk">
          <section className="slots" aria-label="Slots">
            {day.slots.length === 0 && (
              <p className="card empty-state">
                No slots on {day.date}. {me.role === 'admin' ? <a href="/admin">Add slots</a> : 'An administrator adds slots'} for this doctor.
              </p>
            )}
            {day.slots.map((slot) => (
              <SlotCard key={slot.id} slot={slot} onAction={onAction} onHistory={setHistory} onTransfer={transferOnDay} busyTokenId={act.isPending ? act.variables?.token.id : null} />
            ))}
            <FinishedTokens schedule={day} onAction={onAction} onHistory={setHistory} />
          </section>
          <aside className="side">
            <IssueForm schedule={day} date={date} onOutcome={setOutcome} />
            <NoticeLine notice={outcome} testId="outcome" />
            <section className="card waitlist" aria-labelledby="waitlist-title" data-testid="waitlist">
              <h2 id="waitlist-title">
                Waitlist <span className="count">{day.waitlist.length}</span>
              </h2>
              <ol className="waitlist-items">
                {day.waitlist.map((t) => (
                  <li key={t.id} data-token={t.number}>
                    <span className="number">{t.number}</span>
                    <SourceBadge source={t.source} />
                    <span className="patient">{patientName(t)}</span>
                    <span className="wait-actions">
                      <button type="button" className="small" onClick={() => onAction(t, 'cancel')} aria-label={`Cancel ${t.number}`}>
                        Cancel
                      </button>
                      <button type="button" className="small" onClick={() => transferOnDay(t)} aria-label={`Transfer ${t.number}`}>
                        Transfer
                      </button>
                      <button type="button" className="small link" onClick={() => setHistory(t)} aria-label={`History of ${t.number}`}>
                        History
                      </button>
                    </span>
                  </li>
                ))}
              </ol>
              {day.waitlist.length === 0 && <p className="empty">Nobody is waiting.</p>}
            </section>
          </aside>
        </main>
      )}
      {confirm && (
        <ConfirmDialog
          title={`${ACTION_LABEL[confirm.action]} ${confirm.token.number}?`}
          message={`${patientName(confirm.token)}, ${confirm.token.number}. ${DESTRUCTIVE[confirm.action]}`}
          confirmLabel={`${ACTION_LABEL[confirm.action]} ${confirm.token.number}`}
          busy={act.isPending}
          onConfirm={() => act.mutate(confirm)}
          onCancel={() => setConfirm(null)}
        />
      )}
      {transfer && doctors.data && (
        <TransferDialog
          token={transfer.token}
          date={transfer.date}
          doctors={doctors.data}
          onDone={(notice) => {
            setOutcome(notice);
            setTransfer(null);
          }}
          onClose={() => setTransfer(null)}
        />
      )}
      {history && <HistoryDialog token={history} schedule={day} onClose={() => setHistory(null)} />}
    </div>
  );
}

function DaySummary({ schedule }: { schedule: Schedule }) {
  const seated = schedule.slots.reduce((n, s) => n + s.occupied, 0);
  const capacity = schedule.slots.reduce((n, s) => n + s.capacity, 0);
  return (
    <p className="summary" aria-live="polite">
      {schedule.slots.length} slots · {seated}/{capacity} seats taken · {schedule.waitlist.length} waiting
    </p>
  );
}

function SlotCard({
  slot,
  onAction,
  onHistory,
  onTransfer,
  busyTokenId,
}: {
  slot: ScheduleSlot;
  onAction: (t: Token, a: TokenAction) => void;
  onHistory: (t: Token) => void;
  onTransfer: (t: Token) => void;
  busyTokenId?: string | null;
}) {
  const s = seats(slot);
  const label = slotLabel(slot);
  return (
    <section className={`card slot${slot.capacity === 0 ? ' slot-closed' : ''}`} aria-label={`Slot ${label}`} data-slot={label}>
      <header className="slot-head">
        <h2>{label}</h2>
        <p className="seats">
          <span className="seat-used">{s.used} used</span>
          <span className="seat-free">{s.free} free</span>
          {s.overflow > 0 && <span className="seat-overflow">{s.overflow} overflow</span>}
          <span className="muted">of {slot.capacity}</span>
        </p>
        <SeatBar used={s.used} free={s.free} overflow={s.overflow} />
      </header>
      <TokenTable
        tokens={slot.tokens.filter((t) => t.status !== 'COMPLETED')}
        caption={`Tokens of ${label} in serving order`}
        emptyText={slot.capacity === 0 ? 'Closed.' : slot.tokens.length > 0 ? 'Everyone here has been seen.' : 'No tokens yet.'}
        onAction={onAction}
        onHistory={onHistory}
        onTransfer={onTransfer}
        busyTokenId={busyTokenId}
      />
    </section>
  );
}

function SeatBar({ used, free, overflow }: { used: number; free: number; overflow: number }) {
  const total = used + free + overflow;
  if (total === 0) return null;
  return (
    <div className="seatbar" aria-hidden="true">
      <span className="used" style={{ flexGrow: used }} />
      <span className="overflow" style={{ flexGrow: overflow }} />
      <span className="free" style={{ flexGrow: free }} />
    </div>
  );
}
