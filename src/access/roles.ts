// Who may do what (SPEC 11), as data: per role, the actions it may perform and on which doctors.
// One pure function answers every question; the API asks it per route (ROUTES names each route's
// action), and a role × route test walks the same tables. Nothing here reads a store or a clock.

import type { DoctorScope, Role } from '../shared/vocabulary.ts';

// The roles and a binding's doctors are words the browser shares (src/shared/vocabulary.ts).
export { ROLES, type DoctorScope, type Role } from '../shared/vocabulary.ts';

/** What the API does, one name per kind of request. */
export const ACTIONS = [
  // doctors, slots, rotas, policy
  'readDoctors',
  'manageDoctors',
  'manageSlots',
  'manageRota',
  'readSchedule',
  // tokens at the desk
  'issueToken',
  'searchTokens',
  'transferToken',
  'checkIn',
  'cancelToken',
  'markNoShow',
  'printSlip',
  // tokens at the doctor's console
  'callNext',
  'completeToken',
  'skipToken',
  'reportDelay',
  // reading tokens
  'readToken',
  'readTokenPersonal',
  'readTokenHistory',
  // screens and feeds
  'readBoard',
  'readFeed',
  'readClock',
  // administration
  'setClock',
  'manageAccounts',
  'readReports',
  'readMetrics',
  'readAudit',
  'erasePersonalData',
  'readAudit',
  'manageSettings',
  // one's own session
  'signOut',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Each action in the words a refusal shows a person ("A desk account cannot call the next patient"). */
export const ACTION_WORDS: Readonly<Record<Action, string>> = {
  readDoctors: 'see the doctors',
  manageDoctors: "change doctors or their policy",
  manageSlots: 'set up or change slots',
  manageRota: 'change rotas, leave or holidays',
  readSchedule: "see this doctor's day",
  issueToken: 'issue tokens',
  searchTokens: 'search tokens',
  transferToken: 'transfer tokens',
  checkIn: 'check patients in',
  cancelToken: 'cancel tokens',
  markNoShow: 'mark patients as not come',
  printSlip: 'print slips',
  callNext: 'call the next patient',
  completeToken: 'complete a consultation',
  skipToken: 'skip a patient',
  reportDelay: "report this doctor's delay",
  readToken: 'open this token',
  readTokenPersonal: "see this patient's details",
  readTokenHistory: "see this token's history",
  readBoard: 'see the board',
  readFeed: 'follow the live feed',
  readClock: 'read the clock',
  setClock: 'set the clock',
  manageAccounts: 'manage accounts, keys and display links',
  readAudit: 'see who did what',
  readReports: 'see reports',
  readMetrics: "read the server's metrics",
  erasePersonalData: "erase a patient's data",
  manageSettings: "change the hospital's settings",
  signOut: 'sign out',
};

/** `any`: on every doctor's data; `own`: only on the doctors the identity is bound to. */
export type Reach = 'any' | 'own';

const everything = Object.fromEntries(ACTIONS.map((a) => [a, 'any'])) as Record<Action, Reach>;

/**
 * SPEC 11's table. An action missing from a role's entry is refused. `desk` reads every doctor's
 * schedules and histories (it books for all of them); `doctor` only its own doctor-days; `display`
 * only the board and the feed that refreshes it, of the doctors its link names.
 */
export const ROLE_TABLE: Readonly<Record<Role, Readonly<Partial<Record<Action, Reach>>>>> = {
  admin: everything,
  desk: {
    readDoctors: 'any',
    readSchedule: 'any',
    issueToken: 'any',
    searchTokens: 'any',
    transferToken: 'any',
    checkIn: 'any',
    cancelToken: 'any',
    markNoShow: 'any',
    printSlip: 'any',
    readToken: 'any',
    readTokenPersonal: 'any',
    readTokenHistory: 'any',
    readBoard: 'any',
    readFeed: 'any',
    readClock: 'any',
    signOut: 'any',
  },
  doctor: {
    readDoctors: 'any',
    readSchedule: 'own',
    callNext: 'own',
    completeToken: 'own',
    skipToken: 'own',
    reportDelay: 'own',
    // Search finds only its own doctors' tokens (the route filters by doctorsFor).
    searchTokens: 'own',
    readToken: 'own',
    readTokenPersonal: 'own',
    readTokenHistory: 'own',
    readBoard: 'own',
    readFeed: 'own',
    readClock: 'any',
    signOut: 'any',
  },
  display: {
    readBoard: 'own',
    readFeed: 'own',
    readClock: 'any',
  },
};

/** The minimal identity the table needs; an Actor (types.ts) is one. */
export interface Grantee {
  role: Role | 'system';
  doctorIds: DoctorScope;
}

/**
 * May `who` perform `action`, on the data of `doctorId` when the action concerns one doctor?
 * Without a doctor id, an `own` grant is enough only for an identity bound to all doctors: a route
 * that lists several doctors' data filters them with `doctorsFor` instead.
 */
export function may(who: Grantee, action: Action, doctorId?: string): boolean {
  if (who.role === 'system') return true;
  const reach = ROLE_TABLE[who.role][action];
  if (reach === undefined) return false;
  if (reach === 'any' || who.doctorIds === 'all') return true;
  return doctorId !== undefined && who.doctorIds.includes(doctorId);
}

/** The doctors on whose data `who` may perform `action`: `all`, a list, or none (empty list). */
export function doctorsFor(who: Grantee, action: Action): DoctorScope {
  if (who.role === 'system') return 'all';
  const reach = ROLE_TABLE[who.role][action];
  if (reach === undefined) return [];
  return reach === 'any' ? 'all' : who.doctorIds;
}

/** Per role, the actions it may perform at all (on some doctor): for the role × route test and the docs. */
export function allowedActions(role: Role): Action[] {
  return ACTIONS.filter((a) => ROLE_TABLE[role][a] !== undefined);
}

/** Why a role cannot have this binding, or null when it can (checked when an account or key is made). */
export function bindingProblem(role: Role, doctorIds: DoctorScope): string | null {
  if (role === 'doctor') {
    if (doctorIds === 'all' || doctorIds.length === 0) return 'a doctor account is bound to one or more doctors';
  } else if (role !== 'display' && doctorIds !== 'all') {
    return `a ${role} identity works for all doctors; it takes no doctor list`;
  }
  if (doctorIds !== 'all') {
    if (doctorIds.length === 0) return 'name at least one doctor, or all';
    if (new Set(doctorIds).size !== doctorIds.length) return 'a doctor is named twice';
  }
  return null;
}

// ------------------------------------------------------------------ token fields (SPEC 11, 12)

/** A token's fields anyone allowed to read the token sees: numbers, statuses, times, never a person. */
export const TOKEN_PUBLIC_FIELDS = [
  'id',
  'number',
  'doctorId',
  'slotId',
  'source',
  'status',
  'issuedAt',
  'estimatedAt',
  'bumps',
  'skips',
] as const;
/** Name, phone and patient id: only for admin, desk, and the doctor the token belongs to. */
export const TOKEN_PERSONAL_FIELDS = ['patient'] as const;
export type TokenField = (typeof TOKEN_PUBLIC_FIELDS)[number] | (typeof TOKEN_PERSONAL_FIELDS)[number];

/** The fields of a token of `doctorId` that `who` may see. */
export function visibleTokenFields(who: Grantee, doctorId: string): TokenField[] {
  return may(who, 'readTokenPersonal', doctorId) ? [...TOKEN_PUBLIC_FIELDS, ...TOKEN_PERSONAL_FIELDS] : [...TOKEN_PUBLIC_FIELDS];
}

/** The token as `who` may see it: without `patient` unless it may read that token's personal data. */
export function redactToken<T extends { doctorId: string; patient?: unknown; patientErased?: unknown }>(who: Grantee, token: T): T | Omit<T, 'patient' | 'patientErased'> {
  if (may(who, 'readTokenPersonal', token.doctorId)) return token;
  // Whether a patient's data was erased is about the patient too.
  const { patient: _patient, patientErased: _erased, ...rest } = token;
  return rest;
}

// ------------------------------------------------------------------ routes

/**
 * Each route of the API (SPEC 10) and what it needs: an action of the table, `public` (no sign-in:
 * SPEC 11's public list) or, for signing in, nothing but the credentials in its body. `doctor` says
 * where the route's doctor comes from, for `own` grants: its path (`:id` of /api/doctors/:id), or the
 * resource it reads (a slot's or token's doctor, known once loaded), or `filter` when it lists several
 * doctors' data and keeps only those `doctorsFor` allows.
 */
export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  needs: Action | 'public';
  doctor?: 'path' | 'body' | 'resource' | 'filter';
}

const tokenLifecycle: [string, Action][] = [
  ['cancel', 'cancelToken'],
  ['no-show', 'markNoShow'],
  ['check-in', 'checkIn'],
  ['complete', 'completeToken'],
  ['skip', 'skipToken'],
];

/** Accounts, API keys and display links: the admin's (action manageAccounts). */
const adminRoutes: [RouteRule['method'], string][] = [
  ['GET', '/api/accounts'],
  ['POST', '/api/accounts'],
  ['PATCH', '/api/accounts/:id'],
  ['PUT', '/api/accounts/:id/password'],
  ['GET', '/api/api-keys'],
  ['POST', '/api/api-keys'],
  ['DELETE', '/api/api-keys/:id'],
  ['GET', '/api/display-links'],
  ['POST', '/api/display-links'],
  ['DELETE', '/api/display-links/:id'],
];

/** The paths swagger-ui serves under /docs. */
const DOCS_PATHS = ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/index.html', '/docs/static/swagger-initializer.js', '/docs/static/*'];

/** The web desk's screens (src/web/main.tsx) and its built files. */
export const WEB_PATHS = ['/', '/signin', '/setup', '/admin', '/board', '/doctor/:id', '/assets/*'] as const;

export const ROUTES: readonly RouteRule[] = [
  { method: 'POST', path: '/api/doctors', needs: 'manageDoctors' },
  { method: 'GET', path: '/api/doctors', needs: 'readDoctors' },
  { method: 'GET', path: '/api/doctors/:id', needs: 'readDoctors' },
  { method: 'PUT', path: '/api/doctors/:id/policy', needs: 'manageDoctors', doctor: 'path' },
  { method: 'PATCH', path: '/api/doctors/:id', needs: 'manageDoctors', doctor: 'path' },
  // The weekly rota: staff read it (the desk books into its days); the admin changes it, leave and holidays.
  { method: 'GET', path: '/api/doctors/:id/rota', needs: 'readDoctors' },
  { method: 'PUT', path: '/api/doctors/:id/rota', needs: 'manageRota', doctor: 'path' },
  { method: 'POST', path: '/api/doctors/:id/rota/apply', needs: 'manageRota', doctor: 'path' },
  { method: 'GET', path: '/api/closed-dates', needs: 'readDoctors' },
  { method: 'POST', path: '/api/closed-dates', needs: 'manageRota' },
  { method: 'DELETE', path: '/api/closed-dates/:date', needs: 'manageRota' },
  { method: 'GET', path: '/api/doctors/:id/schedule', needs: 'readSchedule', doctor: 'path' },
  { method: 'POST', path: '/api/doctors/:id/call-next', needs: 'callNext', doctor: 'path' },
  { method: 'POST', path: '/api/doctors/:id/delay', needs: 'reportDelay', doctor: 'path' },
  { method: 'POST', path: '/api/slots', needs: 'manageSlots', doctor: 'body' },
  { method: 'GET', path: '/api/slots/:id', needs: 'readSchedule', doctor: 'resource' },
  { method: 'PATCH', path: '/api/slots/:id', needs: 'manageSlots', doctor: 'resource' },
  { method: 'POST', path: '/api/tokens', needs: 'issueToken', doctor: 'body' },
  { method: 'GET', path: '/api/tokens', needs: 'searchTokens', doctor: 'filter' },
  { method: 'GET', path: '/api/tokens/:id', needs: 'readToken', doctor: 'resource' },
  { method: 'GET', path: '/api/tokens/:id/events', needs: 'readTokenHistory', doctor: 'resource' },
  { method: 'POST', path: '/api/tokens/:id/transfer', needs: 'transferToken', doctor: 'resource' },
  ...tokenLifecycle.map(([verb, needs]): RouteRule => ({ method: 'POST', path: `/api/tokens/:id/${verb}`, needs, doctor: 'resource' })),
  { method: 'GET', path: '/api/board', needs: 'readBoard', doctor: 'filter' },
  { method: 'GET', path: '/api/events', needs: 'readFeed', doctor: 'filter' },
  { method: 'GET', path: '/api/clock', needs: 'readClock' },
  { method: 'PUT', path: '/api/clock', needs: 'setClock' },
  { method: 'POST', path: '/api/session', needs: 'public' },
  // Who am I: answers any signed-in identity (a display too) and 401 to nobody; it needs no grant.
  { method: 'GET', path: '/api/session', needs: 'public' },
  { method: 'DELETE', path: '/api/session', needs: 'signOut' },
  // The first admin (SPEC 11): open only while no admin exists; the one-time code is the credential.
  { method: 'GET', path: '/api/setup', needs: 'public' },
  { method: 'POST', path: '/api/setup', needs: 'public' },
  ...adminRoutes.map(([method, path]): RouteRule => ({ method, path, needs: 'manageAccounts' })),
  { method: 'GET', path: '/api/audit', needs: 'readAudit' },
  // The reports and the what-if: administrators only (SPEC 11); token numbers, never a patient.
  { method: 'GET', path: '/api/reports', needs: 'readReports' },
  { method: 'GET', path: '/api/reports/what-if', needs: 'readReports' },
  // Erasing a patient's personal data at once (SPEC 12): administrators only.
  { method: 'POST', path: '/api/patients/erase', needs: 'erasePersonalData' },
  { method: 'GET', path: '/api/openapi.json', needs: 'public' },
  // The API reference (swagger-ui) and its files: the same contract as /api/openapi.json, no data.
  ...DOCS_PATHS.map((path): RouteRule => ({ method: 'GET', path, needs: 'public' })),
  { method: 'GET', path: '/healthz', needs: 'public' },
  // Readiness tells a load balancer only whether the database answers: no data, like /healthz.
  { method: 'GET', path: '/readyz', needs: 'public' },
  { method: 'GET', path: '/metrics', needs: 'readMetrics' },
  // Who did what on a day (the events an actor caused): administrators only.
  { method: 'GET', path: '/api/audit', needs: 'readAudit' },
  // The patient's own page (SPEC 11): the code on the slip is the credential (an HMAC the server
  // checks); its answers carry that one token and its doctor's numbers, never a person.
  { method: 'GET', path: '/t/:code', needs: 'public' },
  { method: 'GET', path: '/api/patient/:code', needs: 'public' },
  { method: 'GET', path: '/api/patient/:code/events', needs: 'public' },
  // The slip: printed by the desk (and the admin); the hospital's settings (the slip's layout).
  { method: 'GET', path: '/api/tokens/:id/slip', needs: 'printSlip', doctor: 'resource' },
  { method: 'GET', path: '/api/settings', needs: 'printSlip' },
  { method: 'PUT', path: '/api/settings', needs: 'manageSettings' },
  // A display link: the secret in its path is the credential; it sets the board's cookie.
  { method: 'GET', path: '/display/:secret', needs: 'public' },
  // The web desk's screens and files: pages with no data in them; their data comes from /api.
  ...WEB_PATHS.map((path): RouteRule => ({ method: 'GET', path, needs: 'public' })),
];
