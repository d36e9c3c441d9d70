// The API's refusals in words for hospital staff: one sentence per problem code, never an id, a JSON
// pointer or an API name, and the fields a refusal names mapped to the form's own fields so that the
// message stands next to the field. Pure functions of the problem and what the screen knows (the
// doctor's name, the day's slots), tested in problem-words.test.ts, which also checks that every
// code of the API's error table has words here.

import { tooManyAttemptsText } from './access.ts';
import type { Problem } from './api.ts';
import { hhmm, STATUS_LABEL } from './format.ts';
import type { TokenStatus } from '../shared/vocabulary.ts';

/** What the screen knows that makes a sentence precise. */
export interface ProblemContext {
  /** The doctor the request was about: "Dr Asha Rao already has a slot…". */
  doctorName?: string;
  /** The doctor-day's slots, to name the one a new slot overlaps. */
  slots?: readonly { start: string; end: string }[];
  /** The time a refused slot asked for. */
  requested?: { start: string; end: string };
  /** The Retry-After of a 429, in seconds. */
  retryAfterSeconds?: number | null;
}

/** One issue of a refused request, as the API lists them in `errors`. */
interface InvalidParam {
  in?: string;
  path?: string;
  message?: string;
}

/** The API's lifecycle command names, as staff say what was tried. */
const TRIED: Record<string, string> = {
  checkIn: 'checked in',
  cancel: 'cancelled',
  noShow: 'marked as no-show',
  complete: 'completed',
  skip: 'skipped',
  transfer: 'transferred',
};

const isStatus = (s: string): s is TokenStatus => s in STATUS_LABEL;
const statusWords = (s: string) => (isStatus(s) ? STATUS_LABEL[s].toLowerCase() : 'changed meanwhile');
/** A token number such as GM-007 in the server's sentence (numbers are what staff call tokens by). */
const tokenNumber = (text: string) => /\b[A-Z]{2,4}-\d{3,}\b/.exec(text)?.[0] ?? null;
const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) => Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

/** The words of a field a refusal names, by its JSON pointer in the request (`/patient/phone`). */
const FIELD_WORDS: Record<string, string> = {
  '/patient/name': 'Patient name',
  '/patient/phone': 'Phone',
  '/patient/id': 'Patient id',
  '/source': 'Source',
  '/slotId': 'Slot',
  '/date': 'Date',
  '/q': 'Search',
  '/minutes': 'Minutes late',
  '/capacity': 'Capacity',
  '/start': 'Start',
  '/end': 'End',
  '/name': 'Name',
  '/department': 'Department',
  '/code': 'Code',
  '/room': 'Room',
  '/username': 'Username',
  '/password': 'Password',
  '/displayName': 'Display name',
  '/doctorIds': 'Doctors',
  '/role': 'Role',
};

/** A field's own message in a person's words ("must be a phone number of digits…" stays as it is). */
function fieldMessage(issue: InvalidParam): string {
  const m = (issue.message ?? 'is not valid').trim();
  if (/^Too big|too_big|at most/i.test(m)) return 'is too long';
  if (/^Too small|too_small|Required|expected string, received undefined/i.test(m)) return 'is needed';
  if (/^Invalid input|Invalid option|expected one of/i.test(m)) return 'is not one of the choices';
  return m;
}

/** The issues of a VALIDATION_FAILED answer (the `errors` extension), or none. */
function issuesOf(problem: Problem): InvalidParam[] {
  const errors = (problem as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors.filter((e): e is InvalidParam => typeof e === 'object' && e !== null) : [];
}

/**
 * The refusal's messages by the form's field names: `fields` maps the request's JSON pointers to the
 * form's fields (`{'/patient/phone': 'phone'}`). A field the form does not have is not listed (the
 * sentence of `problemWords` says it).
 */
export function fieldErrors(problem: Problem, fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  if (problem.code !== 'VALIDATION_FAILED') return out;
  for (const issue of issuesOf(problem)) {
    const field = issue.path === undefined ? undefined : fields[issue.path];
    if (field !== undefined && out[field] === undefined) out[field] = sentenceCase(`${FIELD_WORDS[issue.path!] ?? 'This'} ${fieldMessage(issue)}`);
  }
  return out;
}

function sentenceCase(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** A detail the server wrote with an id in it is not for people: such a detail is never shown. */
const carriesId = (text: string) => /[0-9a-f]{8}-[0-9a-f]{4}-|\/[a-z]+\/|\b[a-z]+[A-Z][a-zA-Z]*\b|\[[a-zA-Z]+\]|[{}]/.test(text);

/** The sentence of a refusal, for staff. */
export function problemWords(problem: Problem, context: ProblemContext = {}): string {
  const doctor = context.doctorName ?? 'The doctor';
  const detail = problem.detail ?? '';
  switch (problem.code) {
    case 'VALIDATION_FAILED': {
      const issues = issuesOf(problem);
      const first = issues[0];
      if (first?.path && FIELD_WORDS[first.path]) {
        const more = issues.length > 1 ? ' Check the other marked fields too.' : '';
        return `${sentenceCase(`${FIELD_WORDS[first.path]} ${fieldMessage(first)}`)}${more}`;
      }
      if (/phone number/i.test(detail) && !carriesId(detail)) return sentenceCase(detail);
      return 'Some of the details are not right. Check the form and try again.';
    }
    case 'UNAUTHENTICATED':
      return 'You are signed out. Sign in again to go on.';
    case 'FORBIDDEN': {
      // The server says what the account cannot do in words, with the API's name in brackets for scripts.
      const words = detail.replace(/\s*\[[A-Za-z]+\]\s*$/, '');
      if (/another origin|content-type/.test(words)) return 'The server refused a request that did not come from this page. Reload the page and try again.';
      return words && !carriesId(words) ? sentenceCase(words) : 'Your account may not do this. Ask an administrator if you need to.';
    }
    case 'NOT_FOUND': {
      // "no doctor …", "no token …": the kind of thing, never its id.
      const kind = /^no (doctor|slot|token|account|API key|display link)\b/i.exec(detail)?.[1]?.toLowerCase();
      if (/^There is no route/.test(detail)) return 'This server does not offer that yet. It may need an update: tell the administrator.';
      return kind
        ? `That ${kind === 'api key' ? 'API key' : kind} is not there: the address may be wrong, or it was removed.`
        : 'That is no longer there: another desk may have changed it. The page shows what is there now.';
    }
    case 'INVALID_TRANSITION': {
      const m = /^(\w+) is not possible for (\S+): it is (\w+)/.exec(detail);
      if (m) {
        const [, command, number, status] = m;
        return `${number} is ${statusWords(status!)} now, so it cannot be ${TRIED[command!] ?? 'changed that way'}. The page shows where it stands.`;
      }
      return 'The token has changed meanwhile (another desk or the doctor acted on it). The page shows where it stands.';
    }
    case 'DUPLICATE_TOKEN': {
      const number = tokenNumber(detail);
      const status = /\((\w+)\)/.exec(detail)?.[1];
      if (number) return `This patient already has ${number}${status && isStatus(status) ? ` (${STATUS_LABEL[status]})` : ''} with this doctor that day. Find it with the search box instead of issuing another.`;
      return 'This patient already has a token with this doctor that day. Find it with the search box instead of issuing another.';
    }
    case 'IDEMPOTENCY_KEY_REUSED':
      return 'This form was already sent with other details. Press the button again to send it as it is now.';
    case 'SLOT_OVERLAP': {
      const clash = context.requested && context.slots?.find((s) => overlaps(s, context.requested!));
      return clash
        ? `${doctor} already has a slot from ${hhmm(clash.start)} to ${hhmm(clash.end)} that day. Choose times after it or before it.`
        : `${doctor} already has a slot at that time that day. Choose other times.`;
    }
    case 'SLOT_ENDED':
      return 'That slot has already ended. Choose a later slot.';
    case 'NO_OPEN_SLOT':
      // The server names the doctor and the day ("Dr Asha Rao has no OPD left on 2 Dec.").
      return detail && !carriesId(detail) ? sentenceCase(detail) : `${doctor} has no OPD slot left that day. Choose another day or doctor.`;
    case 'QUEUE_EMPTY':
      return 'Nobody is checked in and waiting. The desk checks patients in as they arrive.';
    case 'CLOCK_NOT_MANUAL':
      return 'The clock can be set only on a training server.';
    case 'USERNAME_TAKEN':
      return 'That username is taken. Choose another.';
    case 'SETUP_CLOSED':
      return 'Set-up is closed: an administrator exists already. Sign in, or ask an administrator for an account.';
    case 'LAST_ADMIN':
      return 'This is the only administrator who can sign in. Make or enable another administrator first.';
    case 'TOO_MANY_REQUESTS':
      return tooManyAttemptsText(context.retryAfterSeconds ?? null);
    case 'METHOD_NOT_ALLOWED':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'HEADERS_TOO_LARGE':
      return 'The server did not accept what this page sent. Reload the page and try again.';
    case 'REQUEST_TIMEOUT':
      return 'The request took too long to reach the server. Check the connection and try again.';
    case 'PAYLOAD_TOO_LARGE':
      return 'That is too much text to send at once. Shorten it and try again.';
    case 'FEED_FULL':
      return 'Too many screens are following live updates just now. This page tries again by itself.';
    case 'SERVICE_UNAVAILABLE':
      return 'The server is restarting. Try again in a moment.';
    case 'DATABASE_UNAVAILABLE':
      return (problem as { outcome?: unknown }).outcome === 'unknown'
        ? 'The connection to the database broke while this was being saved, so it may have been done. Press the same button again: it is sent as the same request, so nothing is done twice.'
        : 'The server cannot reach its database just now; nothing was changed. Try again in a moment.';
    case 'INTERNAL':
      return 'Something went wrong on the server. Try again; if it keeps happening, tell the administrator.';
    case 'NETWORK':
      return 'The server did not answer. Check the connection and try again.';
  }
  // A code this page does not know yet (a newer server): its words if they are for people.
  return detail && !carriesId(detail) ? sentenceCase(detail) : 'The server refused this. Try again, or tell the administrator.';
}
