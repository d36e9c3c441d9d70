// Which screen an address is, who may use it, where a signed-in person lands, and the words of the
// access screens: pure functions of the path and the signed-in identity (`Me`), tested without a
// browser (access.test.ts). The API refuses the data of a screen anyway; this only keeps the desk
// from offering what the role cannot use (the access contract, "Roles in the web desk").

import type { Me, Role } from './access-types.ts';

export type Screen =
  | { kind: 'desk' }
  | { kind: 'admin' }
  | { kind: 'board'; doctorIds: string[] }
  | { kind: 'doctor'; doctorId: string }
  | { kind: 'signin' }
  | { kind: 'setup' }
  | { kind: 'unknown' };

/** The screen of a path (and its query string, for the board's doctors). */
export function screenOf(pathname: string, search = ''): Screen {
  const path = pathname.replace(/\/+$/, '') || '/';
  const doctor = /^\/doctor\/([^/]+)$/.exec(path);
  if (doctor) {
    try {
      return { kind: 'doctor', doctorId: decodeURIComponent(doctor[1]!) };
    } catch {
      return { kind: 'unknown' };
    }
  }
  switch (path) {
    case '/':
      return { kind: 'desk' };
    case '/admin':
      return { kind: 'admin' };
    case '/board': {
      const ids = new URLSearchParams(search).get('doctors');
      return { kind: 'board', doctorIds: ids ? ids.split(',').filter(Boolean) : [] };
    }
    case '/signin':
      return { kind: 'signin' };
    case '/setup':
      return { kind: 'setup' };
    default:
      return { kind: 'unknown' };
  }
}

const bound = (me: Me, doctorId: string) => me.doctorIds === 'all' || me.doctorIds.includes(doctorId);

/** May this identity use this screen? Sign-in and set-up are everyone's. */
export function mayUse(me: Me, screen: Screen): boolean {
  switch (screen.kind) {
    case 'signin':
    case 'setup':
      return true;
    case 'unknown':
      return false;
    case 'admin':
      return me.role === 'admin';
    case 'desk':
      return me.role === 'admin' || me.role === 'desk';
    case 'doctor':
      return me.role === 'admin' || (me.role === 'doctor' && bound(me, screen.doctorId));
    case 'board':
      // A display or a doctor sees its own doctors' board: the API keeps the others out of its answer.
      return true;
  }
}

export interface NavLink {
  href: string;
  label: string;
}

/** The board of an identity's own doctors, or every doctor's. */
export function boardPath(me: Me): string {
  return me.doctorIds === 'all' ? '/board' : `/board?doctors=${me.doctorIds.map(encodeURIComponent).join(',')}`;
}

/** The header's links: only the screens this role may use. `doctorNames` labels a doctor's consoles. */
export function navLinks(me: Me, doctorNames: ReadonlyMap<string, string> = new Map()): NavLink[] {
  const links: NavLink[] = [];
  if (me.role === 'admin' || me.role === 'desk') links.push({ href: '/', label: 'Front desk' });
  if (me.role === 'doctor' && me.doctorIds !== 'all') {
    const several = me.doctorIds.length > 1;
    for (const id of me.doctorIds) {
      links.push({ href: `/doctor/${encodeURIComponent(id)}`, label: several ? `Console: ${doctorNames.get(id) ?? id}` : 'My console' });
    }
  }
  links.push({ href: me.role === 'admin' || me.role === 'desk' ? '/board' : boardPath(me), label: 'Board' });
  if (me.role === 'admin') links.push({ href: '/admin', label: 'Admin' });
  return links;
}

/**
 * Where an identity goes instead of the front desk (/) when it may not use it: a doctor to its one
 * console (several: null, the desk shows a chooser), a display to its board. null: stay.
 */
export function landingFor(me: Me): string | null {
  if (me.role === 'doctor' && me.doctorIds !== 'all' && me.doctorIds.length === 1) return `/doctor/${encodeURIComponent(me.doctorIds[0]!)}`;
  if (me.role === 'display') return boardPath(me);
  return null;
}

export const ROLE_LABEL: Record<Role, string> = {
  admin: 'Administrator',
  desk: 'Front desk',
  doctor: 'Doctor',
  display: 'Display board',
};

/**
 * The place to come back to after signing in: a path of this site only (a `next` of another site,
 * `//evil.example` or `https://…`, would make the sign-in page a way to send people elsewhere).
 */
export function safeReturnPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const screen = screenOf(next.split(/[?#]/)[0]!);
  if (screen.kind === 'signin' || screen.kind === 'setup' || screen.kind === 'unknown') return '/';
  return next;
}

/** The sign-in page's address that comes back to `returnTo` (a path with its query string). */
export function signInPath(returnTo: string): string {
  const back = safeReturnPath(returnTo);
  return back === '/' ? '/signin' : `/signin?next=${encodeURIComponent(back)}`;
}

/** "try again in 3 minutes" from a Retry-After in seconds (rounded up; at least a minute). */
export function tooManyAttemptsText(retryAfterSeconds: number | null): string {
  if (retryAfterSeconds === null || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) {
    return 'Too many attempts. Wait a few minutes, then try again.';
  }
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts, try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/** Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - nowMs) / 1000));
}

/** A password's problem before it is sent (the server says the same; this saves a round trip). */
export function newPasswordProblem(password: string, again: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== again) return 'The two passwords are not the same.';
  return null;
}

/** The server's rule (src/access/passwords.ts, which uses node:crypto); access.test.ts checks they agree. */
export const MIN_PASSWORD_LENGTH = 10;

/** A date and time of an access record, for a list ("2026-03-10 09:40"); '' when there is none. */
export function when(value: string | number | null | undefined, timeZone?: string): string {
  if (value === null || value === undefined) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The server's words ("wrong username or password") as a sentence of the page. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === '') return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
