// SPEC 11, one test per line of its table and per rule below it. The expectations are written out
// here by hand, never read from ROLE_TABLE.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../test/kits/api/test-kit.ts';
import { ACTIONS, allowedActions, bindingProblem, doctorsFor, may, redactToken, ROLES, ROUTES, visibleTokenFields, type Action, type Grantee } from './roles.ts';

const admin: Grantee = { role: 'admin', doctorIds: 'all' };
const desk: Grantee = { role: 'desk', doctorIds: 'all' };
const drMehta: Grantee = { role: 'doctor', doctorIds: ['doc-mehta'] };
const lobbyBoard: Grantee = { role: 'display', doctorIds: ['doc-mehta', 'doc-rao'] };
const everyBoard: Grantee = { role: 'display', doctorIds: 'all' };

const token = {
  id: 'tok-1',
  number: 'GM-007',
  doctorId: 'doc-mehta',
  slotId: 'slot-1',
  source: 'WALKIN',
  status: 'BOOKED',
  patient: { name: 'Lakshmi', phone: '+91 98450 00000', id: 'MRN-1' },
  issuedAt: '2026-03-10T08:00:00+05:30',
  estimatedAt: null,
  bumps: 0,
  skips: 0,
};

describe('SPEC 11: who may do what', () => {
  it('admin: everything — doctors, slots, rotas, policy, accounts and keys, reports, the manual clock', () => {
    for (const action of ['manageDoctors', 'manageSlots', 'manageAccounts', 'readReports', 'readMetrics', 'setClock', 'erasePersonalData'] as const) {
      expect(may(admin, action), action).toBe(true);
    }
    for (const action of ACTIONS) expect(may(admin, action, 'doc-anyone'), action).toBe(true);
    expect(allowedActions('admin')).toHaveLength(ACTIONS.length);
  });

  it('desk: issue, check in, cancel, no-show, transfer, search, print slips, read schedules and histories', () => {
    const deskMay: Action[] = [
      'issueToken', 'checkIn', 'cancelToken', 'markNoShow', 'transferToken', 'searchTokens', 'printSlip',
      'readSchedule', 'readTokenHistory', 'readToken', 'readTokenPersonal', 'readDoctors', 'readBoard', 'readFeed', 'readClock', 'signOut',
    ];
    expect(allowedActions('desk').sort()).toEqual([...deskMay].sort());
    // For every doctor: the desk books for all of them.
    for (const action of deskMay) expect(may(desk, action, 'doc-rao'), action).toBe(true);
    for (const action of ['callNext', 'completeToken', 'skipToken', 'reportDelay', 'manageDoctors', 'manageSlots', 'manageAccounts', 'setClock', 'readReports'] as const) {
      expect(may(desk, action, 'doc-rao'), action).toBe(false);
    }
  });

  it("doctor: its own console — call next, complete, skip, report a delay; read and search its own doctor-days", () => {
    const console: Action[] = ['callNext', 'completeToken', 'skipToken', 'reportDelay', 'readSchedule', 'readToken', 'readTokenPersonal', 'readTokenHistory', 'searchTokens'];
    for (const action of console) {
      expect(may(drMehta, action, 'doc-mehta'), `${action} on its own`).toBe(true);
      expect(may(drMehta, action, 'doc-rao'), `${action} on another doctor`).toBe(false);
      expect(may(drMehta, action), `${action} without naming a doctor`).toBe(false);
    }
    for (const action of ['issueToken', 'checkIn', 'cancelToken', 'markNoShow', 'transferToken', 'erasePersonalData', 'manageDoctors', 'setClock'] as const) {
      expect(may(drMehta, action, 'doc-mehta'), action).toBe(false);
    }
    expect(doctorsFor(drMehta, 'readSchedule')).toEqual(['doc-mehta']);
    expect(doctorsFor(drMehta, 'issueToken')).toEqual([]);
  });

  it('display: the waiting-room board only, of the doctors its link names (or all)', () => {
    expect(allowedActions('display').sort()).toEqual(['readBoard', 'readClock', 'readFeed']);
    expect(may(lobbyBoard, 'readBoard', 'doc-rao')).toBe(true);
    expect(may(lobbyBoard, 'readBoard', 'doc-khan')).toBe(false);
    expect(may(everyBoard, 'readBoard', 'doc-khan')).toBe(true);
    expect(doctorsFor(lobbyBoard, 'readFeed')).toEqual(['doc-mehta', 'doc-rao']);
    for (const action of ['readToken', 'readTokenPersonal', 'readSchedule', 'readTokenHistory', 'searchTokens', 'signOut'] as const) {
      expect(may(everyBoard, action, 'doc-mehta'), action).toBe(false);
    }
  });

  it('public without sign-in: signing in, /healthz and /readyz (no data), the patient page, the display link, the first-run set-up, the contract and its reference, the screens without data — nothing else', () => {
    const open = ROUTES.filter((r) => r.needs === 'public').map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual(
      [
        'POST /api/session', 'GET /api/session',
        'GET /api/setup', 'POST /api/setup',
        'GET /api/openapi.json', 'GET /docs', 'GET /docs/', 'GET /docs/json', 'GET /docs/yaml', 'GET /docs/static/index.html', 'GET /docs/static/swagger-initializer.js', 'GET /docs/static/*',
        'GET /healthz', 'GET /readyz', 'GET /t/:code', 'GET /api/patient/:code', 'GET /api/patient/:code/events', 'GET /display/:secret',
        'GET /', 'GET /signin', 'GET /setup', 'GET /admin', 'GET /board', 'GET /doctor/:id', 'GET /assets/*',
      ].sort(),
    );
  });

  it('accounts, API keys and display links are the admin\'s (manageAccounts); the audit too (readAudit)', () => {
    const rule = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)?.needs;
    for (const [method, path] of [
      ['GET', '/api/accounts'], ['POST', '/api/accounts'], ['PATCH', '/api/accounts/:id'], ['PUT', '/api/accounts/:id/password'],
      ['GET', '/api/api-keys'], ['POST', '/api/api-keys'], ['DELETE', '/api/api-keys/:id'],
      ['GET', '/api/display-links'], ['POST', '/api/display-links'], ['DELETE', '/api/display-links/:id'],
    ] as const) {
      expect(rule(method, path), `${method} ${path}`).toBe('manageAccounts');
    }
    expect(rule('GET', '/api/audit')).toBe('readAudit');
    for (const role of ['desk', 'doctor', 'display'] as const) {
      expect(may({ role, doctorIds: role === 'desk' ? 'all' : ['doc-mehta'] }, 'readAudit', 'doc-mehta'), role).toBe(false);
      expect(may({ role, doctorIds: role === 'desk' ? 'all' : ['doc-mehta'] }, 'manageAccounts', 'doc-mehta'), role).toBe(false);
    }
    expect(may(admin, 'readAudit')).toBe(true);
  });

  it('personal data (name, phone, patient id) only for admin, desk and the doctor the token belongs to', () => {
    expect(redactToken(admin, token)).toHaveProperty('patient', token.patient);
    expect(redactToken(desk, token)).toHaveProperty('patient', token.patient);
    expect(redactToken(drMehta, token)).toHaveProperty('patient', token.patient);
    const otherDoctor: Grantee = { role: 'doctor', doctorIds: ['doc-rao'] };
    for (const who of [otherDoctor, lobbyBoard, everyBoard]) {
      const seen = redactToken(who, token);
      expect(seen).not.toHaveProperty('patient');
      expect(seen).toMatchObject({ id: 'tok-1', number: 'GM-007', status: 'BOOKED', estimatedAt: null });
      expect(JSON.stringify(seen)).not.toMatch(/Lakshmi|98450|MRN-1/);
    }
    // An erased patient: that it was erased is not shown to those who may not see the patient either.
    const erased = { ...token, patient: null, patientErased: true as const };
    expect(redactToken(drMehta, erased)).toMatchObject({ patient: null, patientErased: true });
    expect(redactToken(otherDoctor, erased)).not.toHaveProperty('patientErased');
    expect(visibleTokenFields(everyBoard, 'doc-mehta')).not.toContain('patient');
    expect(visibleTokenFields(drMehta, 'doc-mehta')).toContain('patient');
  });

  it('the system (clock ticks, start-up) may act; no role is called system', () => {
    expect(may({ role: 'system', doctorIds: 'all' }, 'setClock')).toBe(true);
    expect(ROLES as readonly string[]).not.toContain('system');
  });
});

describe('bindings', () => {
  it('a doctor is bound to one or more doctors; admin and desk to none; a display to some or all', () => {
    expect(bindingProblem('doctor', ['doc-1'])).toBeNull();
    expect(bindingProblem('doctor', ['doc-1', 'doc-2'])).toBeNull();
    expect(bindingProblem('doctor', 'all')).toMatch(/one or more doctors/);
    expect(bindingProblem('doctor', [])).toMatch(/one or more doctors/);
    expect(bindingProblem('desk', ['doc-1'])).toMatch(/all doctors/);
    expect(bindingProblem('admin', 'all')).toBeNull();
    expect(bindingProblem('display', 'all')).toBeNull();
    expect(bindingProblem('display', [])).toMatch(/at least one/);
    expect(bindingProblem('display', ['doc-1', 'doc-1'])).toMatch(/twice/);
  });
});

describe('routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('every operation of the OpenAPI document has a rule, and each rule names an action of the table', async () => {
    const doc = (await h.sut.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const rules = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(operations.length).toBeGreaterThan(15);
    expect(operations.filter((op) => !rules.has(op))).toEqual([]);
    for (const r of ROUTES) expect(r.needs === 'public' || (ACTIONS as readonly string[]).includes(r.needs), `${r.method} ${r.path}`).toBe(true);
  });

  it('SPEC 10 routes that are not built yet already have their rule', () => {
    const rule = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)?.needs;
    expect(rule('GET', '/api/tokens')).toBe('searchTokens');
    expect(rule('POST', '/api/tokens/:id/transfer')).toBe('transferToken');
    expect(rule('DELETE', '/api/session')).toBe('signOut');
    expect(rule('PUT', '/api/clock')).toBe('setClock');
  });
});
