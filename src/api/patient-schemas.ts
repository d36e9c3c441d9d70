// The contract of the patient's side (SPEC 11): the public page of one token, its live stream, the
// slip the desk prints, and the hospital's slip layout. Numbers, times and the doctor only: no schema
// here has a field for a patient's name, phone or id.

import { z } from 'zod';
import { SLIP_LAYOUTS } from '../service/patient-desk.ts';
import { Delay, Instant, LocalDate, TokenStatus } from './schemas.ts';

/** The code of a patient's page: printed on the slip as a QR code; it is the only credential. */
export const CodeParams = z.strictObject({
  code: z.string().max(300).describe("The code from the patient's slip (the part after /t/)."),
});

const TimeWindow = z.object({ start: Instant, end: Instant });

const Happening = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('moved'),
      at: Instant,
      to: TimeWindow.nullable().describe('The new slot; null: waiting for a free place.'),
      because: z.enum(['emergency', 'priority', 'doctor-late', 'slot-closed', 'fewer-seats']),
    }),
    z.object({ kind: z.literal('seated'), at: Instant, to: TimeWindow.describe('A place opened in this slot.') }),
    z.object({ kind: z.literal('skipped'), at: Instant.describe('Called, and not there: please come to the desk.') }),
  ])
  .meta({ id: 'PatientHappening' });

export const PatientPage = z
  .object({
    state: z.enum(['live', 'over']).describe('over: the day has passed or the personal data was erased; only number and date remain.'),
    number: z.string(),
    date: LocalDate,
    doctor: z.object({ name: z.string(), department: z.string(), room: z.string().nullable() }).nullable(),
    status: TokenStatus.nullable(),
    slot: TimeWindow.nullable(),
    estimatedAt: Instant.nullable(),
    nowServing: z.array(z.string()).describe("The numbers the doctor is seeing now (numbers only)."),
    ahead: z.int().nullable().describe('Seated tokens the doctor calls before this one; null when waitlisted.'),
    waitlistPosition: z.int().nullable().describe('Place on the waitlist, from 1; null when not waitlisted.'),
    delay: Delay.nullable(),
    happenings: z.array(Happening).describe('What happened to the token, oldest first.'),
  })
  .meta({ id: 'PatientPage' });

export const SlipLayout = z.enum(SLIP_LAYOUTS).describe('roll-80mm: an 80 mm thermal roll; a6, a5: sheets of paper.');

export const Slip = z
  .object({
    tokenId: z.string(),
    number: z.string(),
    date: LocalDate,
    status: TokenStatus,
    doctor: z.object({ name: z.string(), department: z.string(), room: z.string().nullable() }),
    slot: TimeWindow.nullable(),
    estimatedAt: Instant.nullable(),
    position: z.int().nullable().describe('Place in the queue (1: next), or on the waitlist when `waitlisted`.'),
    waitlisted: z.boolean(),
    issuedAt: Instant,
    publicUrl: z.string().describe("The patient's page, as a path (/t/<code>)."),
    layout: SlipLayout,
  })
  .meta({ id: 'Slip' });

export const Settings = z.object({ slipLayout: SlipLayout }).meta({ id: 'Settings' });
export const SettingsBody = z.strictObject({ slipLayout: SlipLayout });
