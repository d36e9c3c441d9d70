// The desk's HTTP client. Its types are the API's own zod schemas (src/api/schemas.ts), read as types
// only: nothing of the contract is written twice, and no zod code reaches the browser. The access
// answers' types are in access-types.ts.
//
// Every request that changes something carries `content-type: application/json`, with or without a
// body: the server's cross-site rule refuses a cookie-authenticated change without it. A 401 from any
// call (the session ended, the display link was revoked) goes to the handler the app set
// (`onUnauthenticated`), which saves the forms' drafts and moves to the sign-in screen; the calls that
// sign in, set up or ask who is signed in answer their 401 to their caller instead.

import { v4 as uuid } from 'uuid';
import type { z } from 'zod';
import type * as S from '../api/schemas.ts';
import type * as R from '../api/report-schemas.ts';
import { retryAfterSeconds } from './access.ts';
import { problemWords, type ProblemContext } from './problem-words.ts';
import type {
  Account,
  AccountPatch,
  ApiKey,
  CreatedApiKey,
  CreatedDisplayLink,
  DisplayLink,
  DoctorIds,
  Me,
  NewAccountBody,
  Role,
  SetupBody,
  SetupState,
} from './access-types.ts';

export type Doctor = z.output<typeof S.Doctor>;
export type Report = z.output<typeof R.Report>;
export type ReportRow = z.output<typeof R.ReportRow>;
export type WhatIf = z.output<typeof R.WhatIf>;
export type Preemption = WhatIf['policy']['preemption'];
export type Token = z.output<typeof S.Token>;
export type IssuedToken = z.output<typeof S.IssuedToken>;
export type Slot = z.output<typeof S.Slot>;
export type Schedule = z.output<typeof S.Schedule>;
export type ScheduleSlot = Schedule['slots'][number];
export type Board = z.output<typeof S.Board>;
export type DoctorBoard = Board['doctors'][number];
export type BoardToken = DoctorBoard['next'][number];
export type FeedEvent = z.output<typeof S.FeedEvent>;
export type Problem = z.output<typeof S.Problem>;
export type Clock = z.output<typeof S.Clock>;
export type IssueTokenBody = z.input<typeof S.IssueTokenBody>;
export type TransferTokenBody = z.input<typeof S.TransferTokenBody>;
export type CreateDoctorBody = z.input<typeof S.CreateDoctorBody>;
export type CreateSlotBody = z.input<typeof S.CreateSlotBody>;
export type PolicyOverrides = z.input<typeof S.PolicyOverrides>;
export type Source = Token['source'];
export type TokenStatus = Token['status'];
export type TokenAction = 'cancel' | 'no-show' | 'check-in' | 'complete' | 'skip';

/**
 * The search answer (`GET /api/tokens?q=&date=&days=`, action searchTokens). Written here from the
 * contract the desk and the server share (docs/api.md "Search"), until the route's schema is in
 * src/api/schemas.ts to be read as a type like the rest.
 */
export type SearchAction = 'checkIn' | 'cancel' | 'noShow' | 'transfer';
export interface SearchResult {
  token: Token;
  doctor: { id: string; name: string; code: string; department: string };
  date: string;
  /** What the token's status allows and the caller's role may do. */
  actions: SearchAction[];
}
export interface SearchAnswer {
  results: SearchResult[];
}
/** The longest search text the API takes (after trimming). */
export const SEARCH_MAX = 100;

/**
 * The address of a search, or null when there is nothing to ask (blank, or longer than the API
 * takes). `date` (default: the hospital's today) and the `days - 1` days before it are searched.
 */
export function searchPath(text: string, { date, days }: { date?: string; days?: number } = {}): string | null {
  const q = text.trim();
  if (q === '' || [...q].length > SEARCH_MAX) return null;
  return `/api/tokens${query({ q, date, days: days === undefined ? undefined : String(days) })}`;
}

/** A refusal of the API: `problem.detail` is the sentence to show a person. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** A 429's or 503's Retry-After, in seconds; null when the answer had none. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem.detail);
  }
}

let unauthenticated: (() => void) | null = null;

/** What the page does when a call answers 401 (the app sets it once; tests set their own). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticated = handler;
}

/** Tells the app the session has ended (also used by the live feed, which cannot read a status). */
export function reportUnauthenticated(): void {
  unauthenticated?.();
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface CallOptions {
  /** The Idempotency-Key of a change; a new one when not given. */
  key?: string;
  /** false: a 401 is this call's own answer (a wrong password), not the end of the session. */
  sessionCall?: boolean;
  /** Aborts the request (a search the person has typed past). */
  signal?: AbortSignal;
}

function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && typeof (x as Problem).detail === 'string' && typeof (x as Problem).code === 'string';
}

/** A new Idempotency-Key (crypto.getRandomValues works on plain-HTTP intranet pages, randomUUID does not). */
export const newRequestKey = (): string => uuid();

/** The headers of a request: what the cross-site rule and idempotency need. */
export function requestHeaders(method: Method, options: CallOptions = {}): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    // Signing in and out is not a booking: no key, so no answer of it is ever kept for a replay.
    if (!options.sessionCall) headers['idempotency-key'] = options.key ?? newRequestKey();
  }
  return headers;
}

export async function call<T>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const headers = requestHeaders(method, options);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body), signal: options.signal });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'No answer',
      status: 0,
      code: 'NETWORK',
      detail: 'The server did not answer. Check the connection and try again.',
    });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !options.sessionCall) reportUnauthenticated();
    throw new ApiError(
      isProblem(data)
        ? data
        : { type: 'about:blank', title: res.statusText, status: res.status, code: `HTTP_${res.status}`, detail: `The server answered ${res.status} ${res.statusText}.` },
      retryAfterSeconds(res.headers.get('retry-after'), Date.now()),
    );
  }
  return data as T;
}

const query = (params: Record<string, string | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
};
const enc = encodeURIComponent;

export const api = {
  clock: () => call<Clock>('GET', '/api/clock'),
  doctors: () => call<Doctor[]>('GET', '/api/doctors'),
  doctor: (id: string) => call<Doctor>('GET', `/api/doctors/${enc(id)}`),
  createDoctor: (body: CreateDoctorBody) => call<Doctor>('POST', '/api/doctors', body),
  setPolicy: (id: string, policy: PolicyOverrides) => call<Doctor>('PUT', `/api/doctors/${enc(id)}/policy`, policy),
  schedule: (doctorId: string, date?: string) => call<Schedule>('GET', `/api/doctors/${enc(doctorId)}/schedule${query({ date })}`),
  createSlot: (body: CreateSlotBody) => call<Slot>('POST', '/api/slots', body),
  changeCapacity: (slotId: string, capacity: number) => call<Slot>('PATCH', `/api/slots/${enc(slotId)}`, { capacity }),
  issueToken: (body: IssueTokenBody, key?: string) => call<IssuedToken>('POST', '/api/tokens', body, key === undefined ? {} : { key }),
  token: (id: string) => call<Token>('GET', `/api/tokens/${enc(id)}`),
  tokenHistory: (id: string) => call<FeedEvent[]>('GET', `/api/tokens/${enc(id)}/events`),
  transferToken: (id: string, body: TransferTokenBody, key?: string) => call<Token>('POST', `/api/tokens/${enc(id)}/transfer`, body, key === undefined ? {} : { key }),
  act: (id: string, action: TokenAction) => call<Token>('POST', `/api/tokens/${enc(id)}/${action}`),
  callNext: (doctorId: string, date?: string) => call<Token>('POST', `/api/doctors/${enc(doctorId)}/call-next`, date === undefined ? undefined : { date }),
  delay: (doctorId: string, minutes: number, date?: string) => call<Schedule>('POST', `/api/doctors/${enc(doctorId)}/delay`, { minutes, date }),
  /** Tokens by number, name, phone or patient id; `signal` drops a search the person typed past. */
  searchTokens: (text: string, where: { date?: string; days?: number } = {}, signal?: AbortSignal) => {
    const path = searchPath(text, where);
    return path === null ? Promise.resolve<SearchAnswer>({ results: [] }) : call<SearchAnswer>('GET', path, undefined, signal === undefined ? {} : { signal });
  },
  board: (doctorIds: string[], date?: string) => call<Board>('GET', `/api/board${query({ doctors: doctorIds.join(','), date })}`),

  // who is signed in (the access contract)
  me: () => call<Me>('GET', '/api/session', undefined, { sessionCall: true }),
  signIn: (username: string, password: string) => call<Me>('POST', '/api/session', { username, password }, { sessionCall: true }),
  signOut: () => call<void>('DELETE', '/api/session', undefined, { sessionCall: true }),
  setupState: () => call<SetupState>('GET', '/api/setup', undefined, { sessionCall: true }),
  setup: (body: SetupBody) => call<Me>('POST', '/api/setup', body, { sessionCall: true }),

  // administration
  accounts: () => call<Account[]>('GET', '/api/accounts'),
  createAccount: (body: NewAccountBody) => call<Account>('POST', '/api/accounts', body),
  updateAccount: (id: string, patch: AccountPatch) => call<Account>('PATCH', `/api/accounts/${enc(id)}`, patch),
  setPassword: (id: string, password: string) => call<void>('PUT', `/api/accounts/${enc(id)}/password`, { password }),
  apiKeys: () => call<ApiKey[]>('GET', '/api/api-keys'),
  createApiKey: (body: { name: string; role: Role; doctorIds: DoctorIds }) => call<CreatedApiKey>('POST', '/api/api-keys', body),
  revokeApiKey: (id: string) => call<void>('DELETE', `/api/api-keys/${enc(id)}`),
  displayLinks: () => call<DisplayLink[]>('GET', '/api/display-links'),
  createDisplayLink: (body: { name: string; doctorIds: DoctorIds }) => call<CreatedDisplayLink>('POST', '/api/display-links', body),
  revokeDisplayLink: (id: string) => call<void>('DELETE', `/api/display-links/${enc(id)}`),
  report: (from: string, to: string) => call<Report>('GET', `/api/reports${query({ from, to })}`),
  whatIf: (date: string, policy: Preemption, doctorIds?: string[]) => call<WhatIf>('GET', `/api/reports/what-if${query({ date, policy, doctors: doctorIds?.join(',') })}`),
  erasePatient: (body: { phone: string } | { patientId: string }) => call<{ erased: number }>('POST', '/api/patients/erase', body),
};

/** The message of any error, for a person: a problem in staff's words (problem-words.ts), else the error's message. */
export function errorText(err: unknown, context: ProblemContext = {}): string {
  if (err instanceof ApiError) return problemWords(err.problem, { retryAfterSeconds: err.retryAfterSeconds, ...context });
  return err instanceof Error ? err.message : String(err);
}
