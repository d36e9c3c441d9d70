// The desk's access rules without a browser: which screen a path is, who may use it, the header's
// links, where a doctor or a display lands, the return path after signing in, and the words of a 429.

import { describe, expect, it } from 'vitest';
import {
  landingFor,
  mayUse,
  MIN_PASSWORD_LENGTH,
  navLinks,
  newPasswordProblem,
  retryAfterSeconds,
  safeReturnPath,
  sentence,
  screenOf,
  signInPath,
  tooManyAttemptsText,
  when,
} from './access.ts';
import type { Me } from './access-types.ts';

const me = (role: Me['role'], doctorIds: Me['doctorIds'] = 'all', kind: Me['kind'] = 'account'): Me => ({ kind, id: `${role}-1`, name: role, role, doctorIds });
const admin = me('admin');
const desk = me('desk');
const oneDoctor = me('doctor', ['d1']);
const twoDoctors = me('doctor', ['d1', 'd2']);
const display = me('display', ['d1', 'd3'], 'display');

describe('screens of a path', () => {
  it('reads each screen, its doctor and its board doctors', () => {
    expect(screenOf('/')).toEqual({ kind: 'desk' });
    expect(screenOf('/admin/')).toEqual({ kind: 'admin' });
    expect(screenOf('/doctor/a%20b')).toEqual({ kind: 'doctor', doctorId: 'a b' });
    expect(screenOf('/board', '?doctors=d1,,d2')).toEqual({ kind: 'board', doctorIds: ['d1', 'd2'] });
    expect(screenOf('/board')).toEqual({ kind: 'board', doctorIds: [] });
    expect(screenOf('/signin')).toEqual({ kind: 'signin' });
    expect(screenOf('/setup')).toEqual({ kind: 'setup' });
    expect(screenOf('/doctor/%E0%A4')).toEqual({ kind: 'unknown' });
    expect(screenOf('/nowhere')).toEqual({ kind: 'unknown' });
  });
});

describe('who may use which screen', () => {
  const screens = {
    desk: screenOf('/'),
    admin: screenOf('/admin'),
    board: screenOf('/board'),
    console1: screenOf('/doctor/d1'),
    console2: screenOf('/doctor/d2'),
  };
  const allowed = (who: Me) =>
    Object.entries(screens)
      .filter(([, s]) => mayUse(who, s))
      .map(([name]) => name);

  it('follows the roles of the web desk', () => {
    expect(allowed(admin)).toEqual(['desk', 'admin', 'board', 'console1', 'console2']);
    expect(allowed(desk)).toEqual(['desk', 'board']);
    expect(allowed(oneDoctor)).toEqual(['board', 'console1']);
    expect(allowed(twoDoctors)).toEqual(['board', 'console1', 'console2']);
    expect(allowed(display)).toEqual(['board']);
  });

  it('shows in the header only the screens the role may use', () => {
    const hrefs = (who: Me) => navLinks(who, new Map([['d1', 'Dr Rao'], ['d2', 'Dr Pillai']])).map((l) => `${l.label} ${l.href}`);
    expect(hrefs(admin)).toEqual(['Front desk /', 'Board /board', 'Admin /admin']);
    expect(hrefs(desk)).toEqual(['Front desk /', 'Board /board']);
    expect(hrefs(oneDoctor)).toEqual(['My console /doctor/d1', 'Board /board?doctors=d1']);
    expect(hrefs(twoDoctors)).toEqual(['Console: Dr Rao /doctor/d1', 'Console: Dr Pillai /doctor/d2', 'Board /board?doctors=d1,d2']);
    expect(hrefs(display)).toEqual(['Board /board?doctors=d1,d3']);
  });

  it('sends a doctor of one doctor to its console, a display to its board, and keeps the rest', () => {
    expect(landingFor(oneDoctor)).toBe('/doctor/d1');
    expect(landingFor(twoDoctors)).toBeNull();
    expect(landingFor(display)).toBe('/board?doctors=d1,d3');
    expect(landingFor(admin)).toBeNull();
    expect(landingFor(desk)).toBeNull();
  });
});

describe('coming back after signing in', () => {
  it('keeps a path of this site with its query string', () => {
    expect(safeReturnPath('/?doctor=d1&date=2026-03-10')).toBe('/?doctor=d1&date=2026-03-10');
    expect(safeReturnPath('/doctor/d1')).toBe('/doctor/d1');
    expect(signInPath('/admin?section=accounts')).toBe('/signin?next=%2Fadmin%3Fsection%3Daccounts');
  });

  it('never leaves the site, nor loops back to sign-in', () => {
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '', null, '/signin?next=/admin', '/setup', '/nowhere']) {
      expect(safeReturnPath(bad)).toBe('/');
    }
    expect(signInPath('/')).toBe('/signin');
  });
});

describe('words of the sign-in page', () => {
  it('says how many minutes to wait after too many attempts', () => {
    expect(tooManyAttemptsText(600)).toBe('Too many attempts, try again in 10 minutes.');
    expect(tooManyAttemptsText(61)).toBe('Too many attempts, try again in 2 minutes.');
    expect(tooManyAttemptsText(5)).toBe('Too many attempts, try again in 1 minute.');
    expect(tooManyAttemptsText(null)).toBe('Too many attempts. Wait a few minutes, then try again.');
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-03-10T09:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 10 Mar 2026 09:05:00 GMT', now)).toBe(300);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });

  it('checks a new password typed twice, with the server’s length rule', async () => {
    // The server's module uses node:crypto, which the browser's type-check does not know: a path
    // built at run time keeps it out of that check (vitest runs this file in Node).
    const server = (await import(['..', 'access', 'passwords.ts'].join('/'))) as { MIN_PASSWORD_LENGTH: number };
    expect(MIN_PASSWORD_LENGTH).toBe(server.MIN_PASSWORD_LENGTH);
    expect(newPasswordProblem('short', 'short')).toBe('The password needs at least 10 characters.');
    expect(newPasswordProblem('long enough 1', 'long enough 2')).toBe('The two passwords are not the same.');
    expect(newPasswordProblem('long enough 1', 'long enough 1')).toBeNull();
  });

  it('turns the server’s words into a sentence', () => {
    expect(sentence('this is the only enabled admin: create or enable another admin first')).toBe('This is the only enabled admin: create or enable another admin first.');
    expect(sentence('Already a sentence.')).toBe('Already a sentence.');
    expect(sentence('  ')).toBe('');
  });

  it('writes record times in the hospital zone', () => {
    expect(when('2026-03-10T04:10:00Z', 'Asia/Kolkata')).toBe('2026-03-10 09:40');
    expect(when(Date.parse('2026-03-10T04:10:00Z'), 'Asia/Kolkata')).toBe('2026-03-10 09:40');
    expect(when(null)).toBe('');
  });
});
