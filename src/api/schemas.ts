// The HTTP contract (SPEC 10) as zod schemas: the same schemas validate requests, shape responses and
// generate the OpenAPI document. Request bodies are strict (an unknown field is refused, so a typo
// never passes silently); response objects strip anything the contract does not name.

import { z } from 'zod';
import { ID_MAX, NAME_MAX, PATIENT_ID_MAX, ROOM_MAX, SOURCES, TOKEN_STATUSES, textProblem } from '../engine/index.ts';

// ---------------------------------------------------------------- words

export const Source = z.enum(SOURCES).describe('Where the token comes from; EMERGENCY ranks first, WALKIN last.');
export const TokenStatus = z.enum(TOKEN_STATUSES);
/**
 * The one schema of free text: every text field, path id and query list is one. It applies the engine's
 * own rule (engine/text.ts: no control characters nor unpaired surrogates, not blank, at most `max`
 * code points), so the two never disagree; `trim` drops surrounding spaces from names.
 */
export function text(max: number, { trim = true }: { trim?: boolean } = {}) {
  const checked = z
    .string()
    .check((ctx) => {
      const why = textProblem(ctx.value, max);
      if (why !== null) ctx.issues.push({ code: 'custom', message: why, input: ctx.value });
    })
    // The OpenAPI document shows the limit; JSON Schema's maxLength counts code points too.
    .meta({ maxLength: max });
  return trim ? checked.trim() : checked;
}

export const Id = text(ID_MAX, { trim: false }).describe('An id given by the server.');
export const LocalDate = z.iso.date().describe('A hospital-local date, YYYY-MM-DD.');
export const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with an offset, e.g. 2026-03-10T09:00:00+05:30.');
export const DoctorCode = z
  .string()
  .regex(/^[A-Z]{2,4}$/, 'must be 2 to 4 capital letters, e.g. GM')
  .describe('2–4 capital letters, the prefix of token numbers.');

/** Seats per source relative to capacity (SPEC 3); a missing source has 0. */
const Allowance = z.partialRecord(Source, z.int().min(-1000).max(1000));

const policyFields = {
  preemption: z.enum(['strict-priority', 'emergency-only', 'off']).optional(),
  maxBumps: z.int().min(0).optional(),
  allowance: Allowance.optional(),
  reserveReleaseMinutes: z.int().min(0).optional(),
  agingMinutes: z.int().min(1).nullable().optional().describe('null turns aging off'),
  agingFloor: z.int().min(0).optional(),
  noShowGraceMinutes: z.int().min(0).optional(),
  maxSkips: z.int().min(0).optional(),
  delayMode: z.enum(['shrink', 'shift']).optional(),
};
/** The doctor's overrides of the hospital default policy (SPEC 9), every field optional. */
export const PolicyOverrides = z.strictObject(policyFields).meta({ id: 'PolicyOverrides' });
const PolicyOverridesOut = z.object(policyFields);

export const Patient = z
  .strictObject({
    name: text(NAME_MAX),
    id: text(PATIENT_ID_MAX).optional().describe('Hospital patient id: duplicates are found by it, else by phone.'),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 -]{3,23}$/, 'must be a phone number of digits, spaces and dashes')
      .optional(),
  })
  .meta({ id: 'Patient' });
const PatientOut = z.object({ name: z.string(), id: z.string().optional(), phone: z.string().optional() });

// ---------------------------------------------------------------- requests

export const IdParams = z.strictObject({ id: Id });

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Same key and same body: the first answer again and no second change. Same key, another body: 409.'),
});

export const CreateDoctorBody = z.strictObject({
  name: text(NAME_MAX),
  department: text(NAME_MAX),
  room: text(ROOM_MAX).optional().describe('Where the doctor sees patients, e.g. "Room 3"; shown on the board, the slip and the patient\'s page.'),
  code: DoctorCode.optional().describe('Derived from the name when omitted.'),
  policy: PolicyOverrides.optional(),
});

export const CreateSlotBody = z.strictObject({
  doctorId: Id,
  start: Instant,
  end: Instant,
  capacity: z.int().min(0).max(100_000),
  room: text(ROOM_MAX).optional().describe("Where this slot's patients go, e.g. \"Room 3\"; default: the doctor's room."),
});

export const ChangeCapacityBody = z.strictObject({
  capacity: z.int().min(0).max(100_000).describe('0 closes the slot: its tokens move to later slots or the waitlist.'),
});

export const ScheduleQuery = z.strictObject({ date: LocalDate.optional().describe('Default: today, hospital-local.') });

export const IssueTokenBody = z.strictObject({
  doctorId: Id,
  source: Source,
  patient: Patient,
  slotId: Id.optional(),
  flexible: z.boolean().optional().describe('With slotId: a later slot of the day will do.'),
  date: LocalDate.optional().describe('Without slotId: the doctor-day; default today.'),
  arrived: z
    .boolean()
    .optional()
    .describe('The patient is at the desk: the token is checked in as soon as it holds a seat (at once if seated, on promotion if waitlisted). Default false.'),
});

export const TransferTokenBody = z.strictObject({
  doctorId: Id.describe('The doctor the patient moves to (the same doctor on another day is fine).'),
  slotId: Id.optional().describe("A slot of that doctor; its day is the transfer's day."),
  flexible: z.boolean().optional().describe('With slotId: a later slot of the day will do.'),
  date: LocalDate.optional().describe('Without slotId: the doctor-day; default today.'),
});

/** Lifecycle actions carry no body; `{}` is accepted too. */
export const EmptyBody = z.strictObject({}).nullish();

export const CallNextBody = z.strictObject({ date: LocalDate.optional() }).nullish();

export const DelayBody = z.strictObject({
  minutes: z.int().min(1).max(1440),
  date: LocalDate.optional(),
});

export const ClockBody = z.strictObject({ now: Instant });

export const BoardQuery = z.strictObject({
  doctors: text(4000, { trim: false })
    .regex(/^[^,]+(,[^,]+)*$/, 'must be doctor ids separated by commas')
    .optional()
    .describe('Doctor ids separated by commas, in the order to show them; default every doctor.'),
  date: LocalDate.optional().describe('Default: today, hospital-local.'),
  limit: z.coerce.number().int().min(1).max(50).optional().describe('At most this many tokens in `next` and in `waitlist` (default 6).'),
});

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional().describe('Start after this sequence number (as Last-Event-ID).'),
});
export const EventsHeaders = z.looseObject({
  'last-event-id': z.string().regex(/^\d{1,15}$/, 'must be an event sequence number').optional(),
});

// ---------------------------------------------------------------- responses

export const Doctor = z
  .object({ id: z.string(), name: z.string(), department: z.string(), room: z.string().nullable(), code: z.string(), policy: PolicyOverridesOut })
  .meta({ id: 'Doctor' });

/** The other token of a transfer, by its number and doctor-day: never the patient. */
export const TransferLink = z
  .object({ tokenId: z.string(), number: z.string().describe('e.g. RA-012'), doctorId: z.string(), date: LocalDate })
  .meta({ id: 'TransferLink' });

export const Token = z
  .object({
    id: z.string(),
    number: z.string().describe('e.g. GM-007'),
    doctorId: z.string(),
    slotId: z.string().nullable().describe('null while waitlisted'),
    source: Source,
    status: TokenStatus,
    patient: PatientOut.nullable().describe('null once the patient\'s personal data was erased (then patientErased is true)'),
    patientErased: z.literal(true).optional().describe('The patient\'s name, phone and id were erased; the token is otherwise whole.'),
    issuedAt: Instant,
    estimatedAt: Instant.nullable(),
    bumps: z.int(),
    skips: z.int(),
    transferredFrom: TransferLink.optional().describe('Issued by a transfer: the token it replaced.'),
    transferredTo: TransferLink.optional().describe('Transferred away (CANCELLED): the token that replaced it.'),
    publicUrl: z
      .string()
      .optional()
      .describe("The patient's own page, as a path (/t/<code>): printed on the slip as a QR code. Only in answers to those who may see the patient."),
  })
  .meta({ id: 'Token' });

export const IssuedToken = Token.extend({
  bumped: Token.nullable().describe('The token this one displaced, if any.'),
}).meta({ id: 'IssuedToken' });

const slotFields = {
  id: z.string(),
  doctorId: z.string(),
  start: Instant,
  end: Instant,
  capacity: z.int(),
  occupied: z.int(),
  room: z.string().nullable().describe("Where the slot's patients go: its own room (a rota session's), else the doctor's; null when neither is known."),
};
export const Slot = z.object(slotFields).meta({ id: 'Slot' });
export const SlotWithTokens = z
  .object({ ...slotFields, tokens: z.array(Token).describe('Seated, in serving order.') })
  .meta({ id: 'SlotWithTokens' });
export const SlotDetail = z
  .object({ ...slotFields, tokens: z.array(Token), waitlist: z.array(Token).describe('Tied to this slot.') })
  .meta({ id: 'SlotDetail' });

export const Delay = z
  .object({
    mode: z.enum(['shrink', 'shift']).describe('shrink: the doctor lost the window [from, until); shift: the rest of the day runs later.'),
    minutes: z.int().describe('How late the doctor is running.'),
    from: Instant,
    until: Instant.nullable().describe('When the lost window ends; null for shift (the rest of the day).'),
    reportedAt: Instant,
  })
  .meta({ id: 'Delay', description: 'A doctor running late (reported with POST /api/doctors/{id}/delay), in force now.' });

export const Schedule = z
  .object({
    doctor: Doctor,
    date: LocalDate,
    delay: Delay.nullable().describe('The delay in force now, or null: estimates already skip the time it took away.'),
    slots: z.array(SlotWithTokens),
    waitlist: z.array(Token).describe('In promotion order.'),
    finished: z.array(Token).describe('Cancelled, no-show and expired tokens of the day, by number (seen ones stay in their slot).'),
  })
  .meta({ id: 'Schedule' });

/** An event as the feed and a token's history show it: never a patient's name or phone. */
export const FeedEvent = z
  .looseObject({ seq: z.int(), doctorId: z.string(), date: LocalDate, type: z.string(), at: Instant })
  .meta({ id: 'FeedEvent' });

/** Who caused an event, as a token's history shows it: never an id. */
export const EventActor = z
  .object({
    kind: z.enum(['account', 'apiKey', 'display', 'system']).describe('`system`: the service itself (the clock’s ticks).'),
    name: z.string().describe("An account's display name, an API key's name, or `system`."),
    role: z.enum(['admin', 'desk', 'doctor', 'display', 'system']),
  })
  .meta({ id: 'EventActor' });

/** An entry of a token's history: the feed's event and who caused it. */
export const HistoryEvent = z
  .intersection(FeedEvent, z.object({ actor: EventActor.nullable().describe('Who caused the event; null for events recorded before actors were.') }))
  .meta({ id: 'HistoryEvent' });

export const AuditQuery = z.strictObject({
  actorId: Id.describe('The account, API key or display link whose events to list (`system` for the clock).'),
  date: LocalDate.describe('The hospital-local day the events happened on.'),
});

export const AuditEvent = z
  .intersection(
    FeedEvent,
    z.object({
      doctor: z.object({ id: z.string(), name: z.string(), code: z.string() }),
      tokenNumber: z.string().nullable().describe('The number of the token the event is about (GM-007); null when it is about none.'),
    }),
  )
  .meta({ id: 'AuditEvent' });

export const Audit = z
  .object({ actorId: z.string(), date: LocalDate, events: z.array(AuditEvent).describe('In the order they were committed.') })
  .meta({ id: 'Audit' });

const BoardToken = z.object({
  id: z.string(),
  number: z.string(),
  status: TokenStatus,
  slotId: z.string().nullable(),
  estimatedAt: Instant.nullable(),
});
const BoardSlot = z.object({ id: z.string(), start: Instant, end: Instant });
export const DoctorBoard = z
  .object({
    doctor: z.object({ id: z.string(), name: z.string(), department: z.string(), code: z.string(), room: z.string().nullable() }),
    date: LocalDate,
    delay: Delay.nullable().describe('The delay in force now, or null.'),
    currentSlot: BoardSlot.nullable().describe('The slot under way, else the next to start; null when the day is over.'),
    serving: z.array(BoardToken).describe('Called and not yet completed.'),
    next: z.array(BoardToken).describe('Checked in, in the order call-next takes them; then seated but not yet checked in.'),
    moreNext: z.int(),
    waitlist: z.array(BoardToken).describe('In promotion order.'),
    moreWaitlist: z.int(),
  })
  .meta({ id: 'DoctorBoard' });
export const Board = z
  .object({ now: Instant, doctors: z.array(DoctorBoard) })
  .meta({ id: 'Board', description: 'For waiting-room screens: token numbers, statuses and times, never patient names or phones.' });

export const Clock = z
  .object({
    now: Instant,
    timeZone: z.string().describe("The hospital's IANA time zone, e.g. Asia/Kolkata."),
    today: LocalDate.describe('The hospital-local date of `now`.'),
  })
  .meta({ id: 'Clock' });
export const Health = z.object({ status: z.literal('ok'), now: Instant });

export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().describe('Machine code, e.g. VALIDATION_FAILED, NOT_FOUND, INVALID_TRANSITION, DUPLICATE_TOKEN, NO_OPEN_SLOT.'),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });

/** Error answers of a route, for the OpenAPI document (the error handler writes them). */
export function problems(...statuses: number[]): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }> {
  const out: Record<number, { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }> = {};
  for (const s of statuses) out[s] = { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: Problem } } };
  return out;
}

// ---------------------------------------------------------------- search and erasure (SPEC 10, 12)

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .refine((v) => [...v.trim()].length >= 1 && [...v.trim()].length <= 100, 'must be 1 to 100 characters after trimming')
    .describe('A token number (GM-007, gm7, gm 7), a name prefix of any word, a phone in any common writing, or a patient id.'),
  date: LocalDate.optional().describe('The last day searched; default today, hospital-local.'),
  days: z.coerce.number().int().min(1).max(31).optional().describe('How many days, ending on `date`; default 7.'),
});

export const SEARCH_ACTIONS = ['checkIn', 'cancel', 'noShow', 'transfer'] as const;

export const SearchResult = z
  .object({
    token: Token,
    doctor: z.object({ id: z.string(), name: z.string(), code: z.string(), department: z.string() }),
    date: LocalDate,
    actions: z.array(z.enum(SEARCH_ACTIONS)).describe("What the token's status allows and the caller may do."),
  })
  .meta({ id: 'SearchResult' });

export const SearchResults = z.object({ results: z.array(SearchResult).describe('At most 50: exact token numbers first, then newer dates, then issue time.') });

export const ErasePatientBody = z
  .strictObject({
    phone: z.string().min(1).max(40).optional().describe('Every token of this phone (any common writing).'),
    patientId: text(PATIENT_ID_MAX).optional().describe('Every token of this hospital patient id (case aside).'),
    tokenId: Id.optional().describe("This token's patient: every token of its patient id, else of its phone."),
  })
  .refine((b) => [b.phone, b.patientId, b.tokenId].filter((v) => v !== undefined).length === 1, 'name exactly one of phone, patientId or tokenId')
  .meta({ id: 'ErasePatient' });

export const Erased = z.object({ erased: z.int().describe("How many tokens' personal data was erased.") });
