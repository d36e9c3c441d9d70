// The doctor's console (/doctor/:id): who is with the doctor, who is checked in (in the order "call
// next" takes them), who is expected, and big buttons for call next, complete, skip and running late.

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { servingOrderOf } from '../../shared/serving-order.ts';
import { api, errorText, type Token } from '../api.ts';
import { SourceBadge } from '../components/Badges.tsx';
import { Header } from '../components/Header.tsx';
import { NoticeLine, type Notice } from '../components/Notice.tsx';
import { delayText, hhmm, patientName, seats, slotLabel, slotsById } from '../format.ts';
import { useClock, useSchedule, useUrlParam } from '../hooks.ts';
import { mayUse } from '../access.ts';
import { useMe } from '../session.tsx';

export function DoctorConsole({ doctorId }: { doctorId: string }) {
  const clock = useClock();
  const [date] = useUrlParam('date');
  const schedule = useSchedule(doctorId, date);
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [lateMinutes, setLateMinutes] = useState('15');
  const me = useMe();

  const done = (text: string) => {
    setNotice({ kind: 'ok', headline: text });
    void queryClient.invalidateQueries({ queryKey: ['doctor', doctorId] });
  };
  const failed = (err: unknown) => setNotice({ kind: 'error', headline: errorText(err) });
  const day = schedule.data;

  const callNext = useMutation({
    mutationFn: () => api.callNext(doctorId, day?.date),
    onSuccess: (t) => done(`Called ${t.number}, ${patientName(t)}`),
    onError: failed,
  });
  const finish = useMutation({
    mutationFn: ({ token, action }: { token: Token; action: 'complete' | 'skip' }) => api.act(token.id, action),
    onSuccess: (t, { action }) =>
      done(action === 'complete' ? `${t.number} seen` : t.status === 'NO_SHOW' ? `${t.number} skipped too often: marked no-show` : `${t.number} skipped: back in the queue`),
    onError: failed,
  });
  const delay = useMutation({
    mutationFn: (minutes: number) => api.delay(doctorId, minutes, day?.date),
    onSuccess: (_s, minutes) => done(`Running ${minutes} minutes late: the desk and the board know`),
    onError: failed,
  });
  const busy = callNext.isPending || finish.isPending || delay.isPending;

  const reportLate = (e: FormEvent) => {
    e.preventDefault();
    const minutes = Number(lateMinutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      setNotice({ kind: 'error', headline: 'Minutes late must be a whole number from 1 to 1440.' });
      return;
    }
    delay.mutate(minutes);
  };

  const order = day && clock.data ? servingOrderOf(day, new Date(clock.data.now)) : null;
  const slots = slotsById(day);
  const current = order?.currentSlot ?? null;

  return (
    <div className="app console">
      <Header title="Doctor console">
        {mayUse(me, { kind: 'desk' }) && <a href={`/?doctor=${encodeURIComponent(doctorId)}`}>This doctor at the desk</a>}
      </Header>
      {schedule.isError && <p className="card error">{errorText(schedule.error)}</p>}
      {day && (
        <main className="console-main">
          <section className="card console-now" aria-labelledby="now-title">
            <p className="muted">
              {day.doctor.name} · {day.doctor.department} · {day.date}
            </p>
            {day.delay && (
              <p className="delay-banner" role="status" data-testid="delay-banner">
                {delayText(day.delay)}
              </p>
            )}
            <p className="current-slot" data-testid="current-slot">
              {current ? (
                <>
                  Current slot <strong>{slotLabel(current)}</strong> · {seats(current).used} of {current.capacity} seats taken
                </>
              ) : (
                'No slot left today'
              )}
            </p>
            <h2 id="now-title">With the doctor</h2>
            {order && order.serving.length === 0 && <p className="empty big">Nobody yet. Call the next patient.</p>}
            {order?.serving.map((t) => (
              <div key={t.id} className="serving" data-testid="serving">
                <div className="serving-number">{t.number}</div>
                <div className="serving-who">
                  <span className="serving-name">{patientName(t)}</span> <SourceBadge source={t.source} />
                  {t.skips > 0 && <span className="muted"> skipped {t.skips}×</span>}
                </div>
                <div className="console-buttons">
                  <button type="button" className="huge primary" disabled={busy} onClick={() => finish.mutate({ token: t, action: 'complete' })}>
                    Complete {t.number}
                  </button>
                  <button type="button" className="huge" disabled={busy} onClick={() => finish.mutate({ token: t, action: 'skip' })}>
                    Skip {t.number}
                  </button>
                </div>
              </div>
            ))}
            <button type="button" className="huge call" disabled={busy || order?.checkedIn.length === 0} onClick={() => callNext.mutate()}>
              Call next{order && order.checkedIn[0] ? ` (${order.checkedIn[0].number})` : ''}
            </button>
            {order?.checkedIn.length === 0 && <p className="muted">Nobody is checked in.</p>}
            <NoticeLine notice={notice} testId="console-notice" />
            <form className="late" onSubmit={reportLate}>
              <label>
                Running late by
                <input type="number" min={1} max={1440} step={1} value={lateMinutes} onChange={(e) => setLateMinutes(e.target.value)} name="lateMinutes" />
                minutes
              </label>
              <button type="submit" disabled={busy}>
                Report delay
              </button>
            </form>
          </section>
          <section className="card" aria-labelledby="queue-title">
            <h2 id="queue-title">
              Checked in <span className="count">{order?.checkedIn.length ?? 0}</span>
            </h2>
            <QueueList tokens={order?.checkedIn ?? []} slots={slots} empty="Nobody is checked in." testId="queue" />
            <h2>
              Expected, not checked in <span className="count">{order?.expected.length ?? 0}</span>
            </h2>
            <QueueList tokens={order?.expected ?? []} slots={slots} empty="Nobody else is booked." testId="expected" />
          </section>
        </main>
      )}
    </div>
  );
}

function QueueList({ tokens, slots, empty, testId }: { tokens: Token[]; slots: ReturnType<typeof slotsById>; empty: string; testId: string }) {
  if (tokens.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ol className="queue" data-testid={testId}>
      {tokens.map((t) => {
        const slot = t.slotId ? slots.get(t.slotId) : undefined;
        return (
          <li key={t.id} data-token={t.number}>
            <span className="number">{t.number}</span>
            <SourceBadge source={t.source} />
            <span className="patient">{patientName(t)}</span>
            <span className="muted">
              {slot ? slotLabel(slot) : ''}
              {t.estimatedAt ? ` · ${hhmm(t.estimatedAt)}` : ''}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
