// One search box for the whole desk ("/" focuses it): a token number, a name, a phone however it is
// written, or a patient id, across every doctor of the day and the days before. It asks as the person
// types (after a short pause, dropping the answers it typed past); each result shows its status and
// the actions the server says it allows, as buttons. By keyboard: ArrowDown from the box goes to the
// first result's first action, ArrowUp/ArrowDown move between results, ArrowRight/ArrowLeft between
// one result's actions (Check in → Cancel → No-show → Transfer), Enter presses the focused button,
// Escape goes back to the box.

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorText, SEARCH_MAX, searchPath, type SearchAction, type SearchResult, type Token, type TokenAction } from '../api.ts';
import { hhmm, patientName } from '../format.ts';
import { SourceBadge, StatusBadge } from './Badges.tsx';

/** The pause after the last key before asking: typing a phone is not ten searches. */
export const SEARCH_DEBOUNCE_MS = 200;

export const SEARCH_INPUT_ID = 'desk-search';

/** A search action as the desk's token action (transfer is its own dialog). */
const AS_TOKEN_ACTION: Record<Exclude<SearchAction, 'transfer'>, TokenAction> = { checkIn: 'check-in', cancel: 'cancel', noShow: 'no-show' };
const ACTION_WORDS: Record<SearchAction, string> = { checkIn: 'Check in', cancel: 'Cancel', noShow: 'No-show', transfer: 'Transfer' };

/** "today", or the date as the desk writes it. */
function dayWords(date: string, today: string | undefined): string {
  return date === today ? 'today' : date;
}

/** Digits of a phone as staff read it: +91 98450 11111. */
export function phoneWords(phone: string | undefined): string | null {
  if (!phone) return null;
  const m = /^\+91(\d{5})(\d{5})$/.exec(phone);
  return m ? `+91 ${m[1]} ${m[2]}` : phone;
}

export interface SearchResultsProps {
  results: SearchResult[];
  today: string | undefined;
  onAction: (token: Token, action: TokenAction) => void;
  /** Present only when the desk can transfer (the transfer dialog): otherwise no Transfer button. */
  onTransfer?: (result: SearchResult) => void;
  busyTokenId?: string | null;
  onKeyDown?: (e: KeyboardEvent<HTMLElement>) => void;
}

/** The results, one row each: number, source, patient, status, doctor and day, and the action buttons. */
export function SearchResults({ results, today, onAction, onTransfer, busyTokenId, onKeyDown }: SearchResultsProps) {
  return (
    <ol className="search-results" aria-label="Search results" onKeyDown={onKeyDown}>
      {results.map((r) => {
        const t = r.token;
        const actions = r.actions.filter((a) => a !== 'transfer' || onTransfer !== undefined);
        const phone = phoneWords(t.patient?.phone);
        return (
          <li key={t.id} data-token={t.number} className="search-result">
            <div className="search-who">
              <span className="number">{t.number}</span> <SourceBadge source={t.source} /> <span className="patient">{patientName(t)}</span> <StatusBadge status={t.status} />
            </div>
            <div className="muted search-where">
              {r.doctor.name} · {dayWords(r.date, today)}
              {t.estimatedAt ? ` · expected ${hhmm(t.estimatedAt)}` : ''}
              {phone ? ` · ${phone}` : ''}
              {t.patient?.id ? ` · patient id ${t.patient.id}` : ''}
            </div>
            <div className="search-actions">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={a === 'checkIn' ? 'small primary' : 'small'}
                  disabled={busyTokenId === t.id}
                  aria-label={`${ACTION_WORDS[a]} ${t.number}`}
                  onClick={() => (a === 'transfer' ? onTransfer?.(r) : onAction(t, AS_TOKEN_ACTION[a]))}
                >
                  {ACTION_WORDS[a]}
                </button>
              ))}
              {actions.length === 0 && <span className="muted">Nothing to do here</span>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** The text typed, settled: it changes `ms` after the last change. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** Focus moves between the results' rows, to the same button position where the row has one. */
function moveFocus(list: HTMLElement, from: Element | null, step: 1 | -1, input: HTMLInputElement | null): void {
  const rows = [...list.querySelectorAll<HTMLElement>('li.search-result')];
  const row = from?.closest('li.search-result') ?? null;
  const index = row === null ? -1 : rows.indexOf(row as HTMLElement);
  const position = row === null ? 0 : [...row.querySelectorAll('button')].indexOf(from as HTMLButtonElement);
  const next = rows[index + step];
  if (next === undefined) {
    if (step === -1) input?.focus();
    return;
  }
  const buttons = next.querySelectorAll<HTMLButtonElement>('button');
  (buttons[Math.max(0, Math.min(position, buttons.length - 1))] ?? next).focus();
}

/** Focus moves to the next (or previous) action button of the same result, staying at either end. */
export function moveAlongRow(from: Element | null, step: 1 | -1): void {
  const row = from?.closest('li.search-result');
  if (!row) return;
  const buttons = [...row.querySelectorAll<HTMLButtonElement>('button')];
  buttons[buttons.indexOf(from as HTMLButtonElement) + step]?.focus();
}

export interface SearchBoxProps {
  today: string | undefined;
  onAction: (token: Token, action: TokenAction) => void;
  onTransfer?: (result: SearchResult) => void;
  busyTokenId?: string | null;
}

export function SearchBox({ today, onAction, onTransfer, busyTokenId }: SearchBoxProps) {
  const [text, setText] = useState('');
  const settled = useSettled(text, SEARCH_DEBOUNCE_MS);
  const asked = searchPath(settled) !== null;
  const search = useQuery({
    queryKey: ['search', settled.trim()],
    queryFn: ({ signal }) => api.searchTokens(settled, {}, signal),
    enabled: asked,
    staleTime: 0,
    placeholderData: (previous) => previous,
  });
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const tooLong = [...text.trim()].length > SEARCH_MAX;
  const results = asked ? (search.data?.results ?? []) : [];

  const onBoxKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if ((e.key === 'ArrowDown' || e.key === 'Enter') && list.current) {
      const first = list.current.querySelector<HTMLElement>('li.search-result button');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'Escape') {
      setText('');
    }
  };
  const onListKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      moveFocus(e.currentTarget, document.activeElement, e.key === 'ArrowDown' ? 1 : -1, input.current);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      moveAlongRow(document.activeElement, e.key === 'ArrowRight' ? 1 : -1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.current?.focus();
    }
  };

  return (
    <section className="card search" aria-labelledby="search-title">
      <h2 id="search-title" className="sr-only">
        Search
      </h2>
      <div className="search-head">
        <label htmlFor={SEARCH_INPUT_ID}>Find a patient or token</label>
        <span className="hint" aria-hidden="true">
          press <kbd>/</kbd> to search, <kbd>n</kbd> for a new token, <kbd>p</kbd> to print the last slip
        </span>
      </div>
      <input
        ref={input}
        id={SEARCH_INPUT_ID}
        type="search"
        name="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onBoxKey}
        placeholder="Name, phone, token number or patient id"
        autoComplete="off"
        aria-describedby="search-status"
        aria-invalid={tooLong || undefined}
      />
      <p id="search-status" className="muted search-status" aria-live="polite" data-testid="search-status">
        {tooLong
          ? `Search text can be at most ${SEARCH_MAX} characters.`
          : !asked
            ? ''
            : search.isError
              ? errorText(search.error)
              : search.isFetching && search.data === undefined
                ? 'Searching…'
                : results.length === 0
                  ? `Nobody found for “${settled.trim()}” in the last 7 days.`
                  : `${results.length === 1 ? '1 found' : `${results.length} found`}. Arrow down to the actions, arrow right to the next action.`}
      </p>
      <div ref={list}>{results.length > 0 && <SearchResults results={results} today={today} onAction={onAction} onTransfer={onTransfer} busyTokenId={busyTokenId} onKeyDown={onListKey} />}</div>
    </section>
  );
}
