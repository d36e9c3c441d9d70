// The patient's own page, /t/<code> (SPEC 11): its own small bundle (not the desk's), for a phone on
// a weak connection. It reads GET /api/patient/<code> and reads it again whenever the page's live
// stream says the doctor-day changed (EventSource reconnects by itself; after a reconnect the page
// reads again, so nothing missed stays missed), and once a minute for the estimates that move with
// the clock. English or Hindi: the browser's language first, then the patient's choice (kept).

import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type * as P from '../../api/patient-schemas.ts';
import { i18n, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/index.ts';
import { NS } from './messages.ts';
import './patient.css';

type Page = z.output<typeof P.PatientPage>;
type Happening = Page['happenings'][number];
type Load = { kind: 'loading' } | { kind: 'missing' } | { kind: 'error' } | { kind: 'ok'; page: Page };

const LANGUAGE_KEY = 'opd.patient.language';
const REFRESH_MS = 60_000;
const RETRY_MS = 5_000;

function firstLanguage(): Language {
  try {
    const kept = localStorage.getItem(LANGUAGE_KEY);
    if (isLanguage(kept)) return kept;
  } catch {
    // storage may be off (private mode): the browser's language decides
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

const code = decodeURIComponent(window.location.pathname.replace(/^\/t\//, '').replace(/\/$/, ''));
const time = (iso: string) => iso.slice(11, 16);
const window_ = (w: { start: string; end: string }) => `${time(w.start)}–${time(w.end)}`;

/** The page's answer: the token, "missing" (404), or null when there was no usable answer. */
async function readPage(): Promise<Load | null> {
  try {
    const res = await fetch(`/api/patient/${encodeURIComponent(code)}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (res.status === 404) return { kind: 'missing' };
    return res.ok ? { kind: 'ok', page: (await res.json()) as Page } : null;
  } catch {
    return null;
  }
}

function usePage(): [Load, boolean] {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [live, setLive] = useState(false);
  // No answer keeps what the page shows (or says the server is away when it showed nothing yet).
  const read = useCallback(() => {
    void readPage().then((next) => setLoad((l) => next ?? (l.kind === 'ok' ? l : { kind: 'error' })));
  }, []);

  useEffect(() => {
    read();
    let source: EventSource | null = null;
    let retry: number | undefined;
    const connect = () => {
      source = new EventSource(`/api/patient/${encodeURIComponent(code)}/events`);
      source.addEventListener('open', () => {
        setLive(true);
        read(); // catch up on whatever happened while the connection was away
      });
      source.addEventListener('changed', read);
      source.addEventListener('error', () => {
        setLive(false);
        // A closed source (the server refused it) does not come back by itself: open a new one later.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retry = window.setTimeout(connect, RETRY_MS);
        }
      });
    };
    connect();
    const timer = window.setInterval(read, REFRESH_MS);
    return () => {
      source?.close();
      window.clearTimeout(retry);
      window.clearInterval(timer);
    };
  }, [read]);
  return [load, live];
}

function LanguageSwitch({ lang, onChange }: { lang: Language; onChange: (l: Language) => void }) {
  const { t } = useTranslation(NS);
  return (
    <div className="p-lang" role="group" aria-label={t('language')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === lang} onClick={() => onChange(l)}>
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

function happeningText(h: Happening, t: (key: string, opts?: Record<string, unknown>) => string): string {
  if (h.kind === 'moved') return t(`moved.${h.because}`, { slot: h.to ? window_(h.to) : t('waitingForPlace') });
  if (h.kind === 'seated') return t('seated', { slot: window_(h.to) });
  return t('skipped', { time: time(h.at) });
}

function Live({ page, live }: { page: Page; live: boolean }) {
  const { t } = useTranslation(NS);
  const doctor = page.doctor!;
  const status = page.status!;
  const needsDesk = status === 'NO_SHOW' || status === 'EXPIRED' || status === 'CANCELLED';
  return (
    <>
      <section className={`p-card p-status p-status-${status.toLowerCase()}`} aria-live="polite">
        <p className="p-label">{t('token')}</p>
        <p className="p-number" data-testid="number">
          {page.number}
        </p>
        <p className={needsDesk || status === 'CALLED' ? 'p-say p-say-strong' : 'p-say'} data-testid="status">
          {t(`status.${status}`, { room: doctor.room ?? t('theRoom') })}
        </p>
      </section>
      {page.delay && (
        <p className="p-late" role="status" data-testid="late">
          {page.delay.until
            ? t('lateUntil', { doctor: doctor.name, minutes: page.delay.minutes, until: time(page.delay.until) })
            : t('late', { doctor: doctor.name, minutes: page.delay.minutes })}
        </p>
      )}
      <section className="p-card">
        <dl className="p-facts">
          <div>
            <dt>{t('nowServing')}</dt>
            <dd data-testid="now-serving">{page.nowServing.length > 0 ? page.nowServing.join(', ') : t('nobodyYet')}</dd>
          </div>
          {page.ahead !== null && (
            <div>
              <dt>{t('place')}</dt>
              <dd data-testid="ahead">{page.ahead === 0 ? t('aheadNone') : t('ahead', { count: page.ahead })}</dd>
            </div>
          )}
          {page.waitlistPosition !== null && (
            <div>
              <dt>{t('place')}</dt>
              <dd data-testid="waitlist">{t('waitlist', { position: page.waitlistPosition })}</dd>
            </div>
          )}
          <div>
            <dt>{t('expected')}</dt>
            <dd data-testid="expected">{page.estimatedAt ? time(page.estimatedAt) : '–'}</dd>
          </div>
          <div>
            <dt>{t('slot')}</dt>
            <dd data-testid="slot">{page.slot ? window_(page.slot) : t('waitingForPlace')}</dd>
          </div>
          <div>
            <dt>{t('doctor')}</dt>
            <dd>{doctor.name}</dd>
          </div>
          <div>
            <dt>{t('department')}</dt>
            <dd>{doctor.department}</dd>
          </div>
          <div>
            <dt>{t('room')}</dt>
            <dd data-testid="room">{doctor.room ?? t('roomUnknown')}</dd>
          </div>
        </dl>
      </section>
      {page.happenings.length > 0 && (
        <section className="p-card" aria-labelledby="p-happenings">
          <h2 id="p-happenings">{t('happenings')}</h2>
          <ul className="p-happenings" data-testid="happenings">
            {page.happenings.map((h, i) => (
              <li key={i}>
                <span className="p-when">{time(h.at)}</span> {happeningText(h, t)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className={live ? 'p-live' : 'p-live p-live-off'} data-testid="live">
        {live ? t('live') : t('reconnecting')}
      </p>
    </>
  );
}

function PatientPage() {
  const [lang, setLang] = useState<Language>(firstLanguage);
  const { t } = useTranslation(NS);
  const [load, live] = usePage();
  useEffect(() => {
    void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    document.title = i18n.getFixedT(lang, NS)('title');
  }, [lang]);
  const choose = (l: Language) => {
    setLang(l);
    try {
      localStorage.setItem(LANGUAGE_KEY, l);
    } catch {
      // not kept: the page still switches
    }
  };
  return (
    <>
      <header className="p-head">
        <h1>{t('title')}</h1>
        <LanguageSwitch lang={lang} onChange={choose} />
      </header>
      <main className="p-main">
        {load.kind === 'loading' && <p className="p-card">{t('loading')}</p>}
        {load.kind === 'error' && (
          <p className="p-card" role="alert">
            {t('noAnswer')}
          </p>
        )}
        {load.kind === 'missing' && (
          <section className="p-card" role="alert">
            <h2>{t('notFound')}</h2>
            <p>{t('notFoundHelp')}</p>
          </section>
        )}
        {load.kind === 'ok' && load.page.state === 'over' && (
          <section className="p-card" data-testid="over">
            <p className="p-label">{t('token')}</p>
            <p className="p-number">{load.page.number}</p>
            <h2>{t('over')}</h2>
            <p>{t('overHelp')}</p>
          </section>
        )}
        {load.kind === 'ok' && load.page.state === 'live' && <Live page={load.page} live={live} />}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PatientPage />
  </StrictMode>,
);
