// The shapes of the administrator's reports (GET /api/reports, GET /api/reports/what-if): they
// validate the query, shape the answer and document both in the OpenAPI document.

import { z } from 'zod';
import { SOURCES } from '../engine/index.ts';
import { OUTCOMES } from '../reports/day-summary.ts';
import { LocalDate, text } from './schemas.ts';

export const ReportQuery = z.strictObject({
  from: LocalDate.describe('The first hospital-local day of the report.'),
  to: LocalDate.optional().describe('The last day, included (default: `from`); at most 366 days after `from`.'),
});

export const WhatIfQuery = z.strictObject({
  date: LocalDate.describe('A hospital-local day that is over (before today).'),
  policy: z.enum(['strict-priority', 'emergency-only', 'off']).describe('Who may take a booked seat: any more urgent source, only emergencies, or nobody.'),
  doctors: text(4000, { trim: false })
    .regex(/^[^,]+(,[^,]+)*$/, 'must be doctor ids separated by commas')
    .optional()
    .describe('Doctor ids separated by commas; default every doctor who worked that day.'),
});

const Outcome = z.enum(OUTCOMES).describe('seen: consultation done; noShow: did not come; cancelled; expired: never got a seat; open: not over yet.');
const Count = z.int().min(0);
const Minutes = z.number().nullable();
const Waits = z.object({ patients: Count, median: Minutes, p90: Minutes, longest: Minutes }).describe('Check-in to call, in minutes (one decimal); null when nobody was called.');
const perSource = <T extends z.ZodType>(of: T) => z.object(Object.fromEntries(SOURCES.map((s) => [s, of])) as Record<(typeof SOURCES)[number], T>);

export const ReportRow = z
  .object({
    key: z.string().describe("The doctor's id, the department, or `hospital`."),
    label: z.string(),
    department: z.string().nullable(),
    days: Count.describe('Doctor-days counted.'),
    tokens: Count,
    bySource: perSource(z.object(Object.fromEntries(OUTCOMES.map((o) => [o, Count])) as Record<(typeof OUTCOMES)[number], typeof Count>)).describe('Tokens by source, then outcome.'),
    seen: Count,
    noShows: Count,
    cancelled: Count,
    noShowRate: z.number().describe('No-shows as a share of the tokens issued (0–1).'),
    cancellationRate: z.number().describe('Cancellations as a share of the tokens issued (0–1).'),
    waits: perSource(Waits).extend({ ALL: Waits }),
    overtimeMinutes: Count.describe("Minutes past the last slot's end until the last patient was done, summed over the days."),
    overtimeDays: Count,
    seatsOffered: Count,
    seatsUsed: Count,
    bumped: Count.describe('Tokens that gave up their seat to a more urgent one.'),
    moved: Count.describe('Tokens moved to another slot or to the waitlist (a delay, a closed slot, a smaller capacity).'),
    promoted: Count.describe('Tokens that got a seat from the waitlist.'),
  })
  .meta({ id: 'ReportRow' });

const Time = z.string().nullable().describe('Hospital-local HH:MM.');
export const Report = z
  .object({
    from: LocalDate,
    to: LocalDate,
    hospital: ReportRow,
    departments: z.array(ReportRow),
    doctors: z.array(ReportRow),
    doctorDays: z.array(
      z.object({
        doctorId: z.string(),
        doctor: z.string(),
        department: z.string(),
        date: LocalDate,
        firstCall: Time,
        lastPatient: Time,
        lastSlotEnd: Time,
        overtimeMinutes: Count,
        seen: Count,
        seatsOffered: Count,
        seatsUsed: Count,
      }),
    ),
    slotHours: z.array(z.object({ department: z.string(), hours: z.string(), slots: Count, seatsOffered: Count, seatsUsed: Count })),
  })
  .meta({ id: 'Report' });

const Policy = z.object({
  preemption: z.enum(['strict-priority', 'emergency-only', 'off']),
  maxBumps: z.int(),
  allowance: z.partialRecord(z.enum(SOURCES), z.int()),
  reserveReleaseMinutes: z.int(),
  agingMinutes: z.int().nullable(),
  agingFloor: z.int(),
  noShowGraceMinutes: z.int(),
  maxSkips: z.int(),
  delayMode: z.enum(['shrink', 'shift']),
});

export const WhatIf = z
  .object({
    date: LocalDate,
    realPolicy: Policy.describe('The rules the day ran with.'),
    policy: Policy.describe('The rules tried.'),
    real: Report.describe('What happened.'),
    whatIf: Report.describe('What the engine decides under the rules tried, with the same arrivals, check-ins, cancellations and calls.'),
    doctors: z.array(
      z.object({
        doctorId: z.string(),
        doctor: z.string(),
        changes: z.array(z.object({ number: z.string(), source: z.enum(SOURCES), real: Outcome, whatIf: Outcome })),
        skipped: z.array(z.string()).describe('What people did that the replayed day could not take, in words.'),
      }),
    ),
  })
  .meta({ id: 'WhatIf' });
