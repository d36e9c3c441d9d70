// The weekly rota, leave and holidays, and a doctor's name and room: their HTTP shapes (zod, as
// schemas.ts, which holds the rest of the contract).

import { z } from 'zod';
import { NAME_MAX, ROOM_MAX } from '../engine/index.ts';
import { LocalDate, Slot, text, Token } from './schemas.ts';

const HHMM = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM from 00:00 to 23:59')
  .describe('Hospital-local time, HH:MM.');

export const RotaSession = z
  .strictObject({
    weekday: z.int().min(1).max(7).describe('1 Monday … 7 Sunday.'),
    start: HHMM,
    end: HHMM,
    slotMinutes: z.int().min(5).max(480).describe('Each slot lasts this long; the session must divide into whole slots.'),
    capacity: z.int().min(1).max(1000).describe('Seats in each slot.'),
    room: text(ROOM_MAX).nullable().optional().describe("Where the session is held; absent or null: the doctor's room."),
  })
  .meta({ id: 'RotaSession' });
const RotaSessionOut = z.object({
  weekday: z.int(),
  start: z.string(),
  end: z.string(),
  slotMinutes: z.int(),
  capacity: z.int(),
  room: z.string().nullable(),
});

export const SetRotaBody = z.strictObject({
  sessions: z.array(RotaSession).max(50).describe("The doctor's whole week: it replaces the sessions before."),
});

export const ApplyRotaBody = z.strictObject({
  dates: z.array(LocalDate).min(1).max(366).describe('Days with tokens the rota was not applied to, from the `asks` of PUT …/rota.'),
});

export const UpdateDoctorBody = z
  .strictObject({
    name: text(NAME_MAX).optional(),
    room: text(ROOM_MAX).nullable().optional().describe('null: no room.'),
  })
  .refine((b) => b.name !== undefined || b.room !== undefined, 'give name or room');

export const CloseDateBody = z.strictObject({
  date: LocalDate,
  doctorId: text(128, { trim: false }).optional().describe("One doctor's leave; absent: a holiday for every doctor."),
  reason: text(200),
});

export const ClosedDatesQuery = z.strictObject({
  from: LocalDate.optional().describe('Default: today.'),
  to: LocalDate.optional(),
});

export const ReopenQuery = z.strictObject({
  doctorId: text(128, { trim: false }).optional().describe("Reopen one doctor's leave; absent: the holiday."),
});

export const DateParams = z.strictObject({ date: LocalDate });

export const Rota = z
  .object({
    doctorId: z.string(),
    sessions: z.array(RotaSessionOut),
    daysAhead: z.int().describe('How many dates, today included, the service makes slots for (OPD_ROTA_DAYS).'),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Rota' });

export const RotaChange = z
  .object({
    rota: Rota,
    changed: z.array(LocalDate).describe('Days whose slots were made again from the new rota.'),
    asks: z
      .array(z.object({ date: LocalDate, liveTokens: z.int() }))
      .describe('Days with tokens, left as they were: apply the rota to them with POST …/rota/apply, or leave them.'),
  })
  .meta({ id: 'RotaChange' });

export const RotaApplied = z
  .object({
    applied: z.array(LocalDate),
    kept: z.array(Slot).describe('Slots with tokens, left as they were (nobody is moved); close one with PATCH /api/slots/{id} to move its patients.'),
  })
  .meta({ id: 'RotaApplied' });

export const ClosedDate = z
  .object({ date: LocalDate, doctorId: z.string().nullable().describe('null: a holiday, every doctor.'), reason: z.string(), createdAt: z.string() })
  .meta({ id: 'ClosedDate' });

export const DateClosed = z
  .object({
    closed: ClosedDate,
    slotsClosed: z.int(),
    toCall: z.array(Token).describe("The patients' tokens still live that day (their slots closed: they wait): the desk calls them."),
  })
  .meta({ id: 'DateClosed' });

export const DateReopened = z
  .object({
    date: LocalDate,
    doctorId: z.string().nullable(),
    reopened: z.array(z.object({ doctorId: z.string(), date: LocalDate, slots: z.int() })),
  })
  .meta({ id: 'DateReopened' });
