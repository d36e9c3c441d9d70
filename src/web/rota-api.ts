// The weekly rota, leave and holidays, and a doctor's name and room: the admin's calls (the shapes are
// the API's own schemas, src/api/rota-schemas.ts).

import type { z } from 'zod';
import type * as R from '../api/rota-schemas.ts';
import { call, type Doctor } from './api.ts';

export type Rota = z.output<typeof R.Rota>;
export type RotaSession = z.input<typeof R.RotaSession>;
export type RotaChange = z.output<typeof R.RotaChange>;
export type RotaApplied = z.output<typeof R.RotaApplied>;
export type ClosedDate = z.output<typeof R.ClosedDate>;
export type DateClosed = z.output<typeof R.DateClosed>;
export type DateReopened = z.output<typeof R.DateReopened>;

const enc = encodeURIComponent;

export const rotaApi = {
  rota: (doctorId: string) => call<Rota>('GET', `/api/doctors/${enc(doctorId)}/rota`),
  setRota: (doctorId: string, sessions: RotaSession[]) => call<RotaChange>('PUT', `/api/doctors/${enc(doctorId)}/rota`, { sessions }),
  applyRota: (doctorId: string, dates: string[]) => call<RotaApplied>('POST', `/api/doctors/${enc(doctorId)}/rota/apply`, { dates }),
  updateDoctor: (doctorId: string, patch: { name?: string; room?: string | null }) => call<Doctor>('PATCH', `/api/doctors/${enc(doctorId)}`, patch),
  closedDates: () => call<ClosedDate[]>('GET', '/api/closed-dates'),
  closeDate: (body: { date: string; doctorId?: string; reason: string }) => call<DateClosed>('POST', '/api/closed-dates', body),
  reopenDate: (date: string, doctorId: string | null) =>
    call<DateReopened>('DELETE', `/api/closed-dates/${enc(date)}${doctorId === null ? '' : `?doctorId=${enc(doctorId)}`}`),
};
