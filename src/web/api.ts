// The desk's HTTP client. Its types are the API's own zod schemas (src/api/schemas.ts), read as types
// only: nothing of the contract is written twice, and no zod code reaches the browser.

import { v4 as uuid } from 'uuid';
import type { z } from 'zod';
import type * as S from '../api/schemas.ts';

export type Doctor = z.output<typeof S.Doctor>;
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
export type CreateDoctorBody = z.input<typeof S.CreateDoctorBody>;
export type CreateSlotBody = z.input<typeof S.CreateSlotBody>;
export type PolicyOverrides = z.input<typeof S.PolicyOverrides>;
export type Source = Token['source'];
export type TokenStatus = Token['status'];
export type TokenAction = 'cancel' | 'no-show' | 'check-in' | 'complete' | 'skip';

/** A refusal of the API: `problem.detail` is the sentence to show a person. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && typeof (x as Problem).detail === 'string' && typeof (x as Problem).code === 'string';
}

/** A new Idempotency-Key (crypto.getRandomValues works on plain-HTTP intranet pages, randomUUID does not). */
export const newRequestKey = (): string => uuid();

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, key?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['idempotency-key'] = key ?? newRequestKey();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
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
    throw new ApiError(
      isProblem(data)
        ? data
        : { type: 'about:blank', title: res.statusText, status: res.status, code: `HTTP_${res.status}`, detail: `The server answered ${res.status} ${res.statusText}.` },
    );
  }
  return data as T;
}

const q = (params: Record<string, string | undefined>): string => {
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
  schedule: (doctorId: string, date?: string) => call<Schedule>('GET', `/api/doctors/${enc(doctorId)}/schedule${q({ date })}`),
  createSlot: (body: CreateSlotBody) => call<Slot>('POST', '/api/slots', body),
  changeCapacity: (slotId: string, capacity: number) => call<Slot>('PATCH', `/api/slots/${enc(slotId)}`, { capacity }),
  issueToken: (body: IssueTokenBody, key?: string) => call<IssuedToken>('POST', '/api/tokens', body, key),
  token: (id: string) => call<Token>('GET', `/api/tokens/${enc(id)}`),
  tokenHistory: (id: string) => call<FeedEvent[]>('GET', `/api/tokens/${enc(id)}/events`),
  act: (id: string, action: TokenAction) => call<Token>('POST', `/api/tokens/${enc(id)}/${action}`),
  callNext: (doctorId: string, date?: string) => call<Token>('POST', `/api/doctors/${enc(doctorId)}/call-next`, date === undefined ? undefined : { date }),
  delay: (doctorId: string, minutes: number, date?: string) => call<Schedule>('POST', `/api/doctors/${enc(doctorId)}/delay`, { minutes, date }),
  board: (doctorIds: string[], date?: string) => call<Board>('GET', `/api/board${q({ doctors: doctorIds.join(','), date })}`),
};

/** The message of any error, for a person: a problem's detail, else the error's message. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail;
  return err instanceof Error ? err.message : String(err);
}
