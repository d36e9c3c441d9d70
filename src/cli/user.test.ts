// `opd user …` on an embedded database: what each subcommand prints and does, its refusals (exit 1,
// nothing changed) and usage errors (exit 2); passwords from a pipe or typed at a terminal unseen.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessService } from '../access/access-service.ts';
import { openStore } from '../store/open-store.ts';
import { fakeTerminal, opdWithInput, run } from '../../test/kits/cli/user-kit.ts';

const root = mkdtempSync(join(tmpdir(), 'opd-user-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Opens the same database the commands use, to look at what they did. */
async function withAccess<T>(dir: string, work: (access: AccessService) => Promise<T>): Promise<T> {
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'opd.sqlite') });
  try {
    return await work(new AccessService(store.access, { clock: { now: () => new Date() } }));
  } finally {
    await store.close();
  }
}

describe('opd user', () => {
  let env: { OPD_DATA_DIR: string };
  beforeEach(() => {
    env = { OPD_DATA_DIR: join(root, `db-${++n}`) };
  });
  const accounts = () => withAccess(env.OPD_DATA_DIR, (a) => a.listAccounts());

  it('adds accounts with a piped password, and lists them', async () => {
    const desk = await opdWithInput(['user', 'add', 'anita', '--role', 'desk', '--name', 'Anita (front desk)', '--password-stdin'], env, 'front-desk-2026\nignored\n');
    expect(desk).toEqual({ code: 0, stdout: 'opd user add: created anita (desk, all doctors)\n', stderr: '' });
    // Not a terminal: the first line of stdin, without --password-stdin too.
    const doctor = await opdWithInput(['user', 'add', 'dr.mehta', '--role', 'doctor', '--doctors', 'doc-1,doc-2'], env, 'stethoscope-42\r\n');
    expect(doctor.stdout).toBe('opd user add: created dr.mehta (doctor, doc-1,doc-2)\n');
    const list = await opdWithInput(['user', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(
      [
        'username  role    doctors      state    name',
        'anita     desk    all doctors  enabled  Anita (front desk)',
        'dr.mehta  doctor  doc-1,doc-2  enabled  dr.mehta',
        '',
      ].join('\n'),
    );
    await withAccess(env.OPD_DATA_DIR, async (access) => {
      expect((await access.signIn('anita', 'front-desk-2026')).actor).toMatchObject({ name: 'Anita (front desk)', role: 'desk', doctorIds: 'all' });
      expect((await access.signIn('DR.MEHTA', 'stethoscope-42')).actor).toMatchObject({ role: 'doctor', doctorIds: ['doc-1', 'doc-2'] });
    });
  });

  it('refuses a taken name, a doctor without doctors, a weak or missing password (exit 1), changing nothing', async () => {
    await opdWithInput(['user', 'add', 'anita', '--role', 'desk'], env, 'front-desk-2026\n');
    const before = await accounts();
    expect(await opdWithInput(['user', 'add', 'ANITA', '--role', 'admin'], env, 'another-pass-1\n')).toEqual({ code: 1, stdout: '', stderr: 'opd user add: the username ANITA is taken\n' });
    expect(await opdWithInput(['user', 'add', 'dr.x', '--role', 'doctor'], env, 'stethoscope-42\n')).toMatchObject({ code: 1, stderr: 'opd user add: a doctor account is bound to one or more doctors: add --doctors ID,ID\n' });
    expect(await opdWithInput(['user', 'add', 'ravi', '--role', 'desk', '--doctors', 'doc-1'], env, 'front-desk-2026\n')).toMatchObject({ code: 1, stderr: expect.stringMatching(/works for all doctors/) });
    expect(await opdWithInput(['user', 'add', 'ravi', '--role', 'desk'], env, 'short\n')).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least 10 characters/) });
    expect(await opdWithInput(['user', 'add', 'ravi', '--role', 'desk'], env, '')).toMatchObject({ code: 1, stderr: 'opd user add: standard input had no password (an empty first line)\n' });
    expect(await opdWithInput(['user', 'add', 'a b', '--role', 'desk'], env, 'front-desk-2026\n')).toMatchObject({ code: 1, stderr: expect.stringMatching(/a username has 2–64 characters/) });
    expect(await accounts()).toEqual(before);
  });

  it('usage errors exit 2: an unknown role, no role, a memory database', async () => {
    expect(await opdWithInput(['user', 'add', 'ravi', '--role', 'root'], env, 'front-desk-2026\n')).toMatchObject({ code: 2, stderr: expect.stringMatching(/must be one of admin, desk, doctor, display/) });
    expect((await opdWithInput(['user', 'add', 'ravi'], env, 'front-desk-2026\n')).code).toBe(2);
    expect(await opdWithInput(['user', 'list'], { DATABASE_URL: 'memory' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/DATABASE_URL=memory/) });
  });

  it('passwd sets a new password and ends the sessions; an unknown name is refused', async () => {
    await opdWithInput(['user', 'add', 'anita', '--role', 'desk'], env, 'front-desk-2026\n');
    const session = await withAccess(env.OPD_DATA_DIR, (a) => a.signIn('anita', 'front-desk-2026'));
    expect(await opdWithInput(['user', 'passwd', 'Anita', '--password-stdin'], env, 'brand-new-pass-7\n')).toEqual({ code: 0, stdout: 'opd user passwd: the password of anita is set; its sessions ended\n', stderr: '' });
    await withAccess(env.OPD_DATA_DIR, async (access) => {
      expect(await access.resolveSession(session.secret)).toBeNull();
      await expect(access.signIn('anita', 'front-desk-2026')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await access.signIn('anita', 'brand-new-pass-7')).actor.name).toBe('anita');
    });
    expect(await opdWithInput(['user', 'passwd', 'nobody'], env, 'brand-new-pass-7\n')).toEqual({ code: 1, stdout: '', stderr: 'opd user passwd: there is no account nobody (opd user list shows them)\n' });
    expect(await opdWithInput(['user', 'passwd', 'anita'], env, 'tiny\n')).toMatchObject({ code: 1 });
    expect(await withAccess(env.OPD_DATA_DIR, async (a) => (await a.signIn('anita', 'brand-new-pass-7')).actor.name)).toBe('anita');
  });

  it('disable ends the sessions and is refused for the last admin; enable lets the account sign in again', async () => {
    await opdWithInput(['user', 'add', 'root', '--role', 'admin'], env, 'admin-password-1\n');
    await opdWithInput(['user', 'add', 'anita', '--role', 'desk'], env, 'front-desk-2026\n');
    const session = await withAccess(env.OPD_DATA_DIR, (a) => a.signIn('anita', 'front-desk-2026'));
    expect(await opdWithInput(['user', 'disable', 'anita'], env)).toEqual({ code: 0, stdout: 'opd user disable: anita is disabled; its sessions ended\n', stderr: '' });
    expect((await opdWithInput(['user', 'list'], env)).stdout).toMatch(/^anita\s+desk\s+all doctors\s+disabled\s+anita$/m);
    await withAccess(env.OPD_DATA_DIR, async (access) => {
      expect(await access.resolveSession(session.secret)).toBeNull();
      await expect(access.signIn('anita', 'front-desk-2026')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });
    expect(await opdWithInput(['user', 'disable', 'root'], env)).toEqual({ code: 1, stdout: '', stderr: 'opd user disable: this is the only enabled admin: create or enable another admin first\n' });
    expect(await opdWithInput(['user', 'enable', 'anita'], env)).toEqual({ code: 0, stdout: 'opd user enable: anita is enabled\n', stderr: '' });
    expect(await withAccess(env.OPD_DATA_DIR, async (a) => (await a.signIn('anita', 'front-desk-2026')).actor.name)).toBe('anita');
    expect((await accounts()).find((a) => a.username === 'root')!.disabled).toBe(false);
    expect((await opdWithInput(['user', 'enable', 'nobody'], env)).code).toBe(1);
  });

  describe('at a terminal', () => {
    it('asks twice without echo, on stderr', async () => {
      const tty = fakeTerminal(['typed-at-desk-1', 'typed-at-desk-1']);
      const res = await run(['user', 'add', 'anita', '--role', 'desk'], env, tty);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('opd user add: created anita (desk, all doctors)\n');
      expect(res.stderr).toContain('New password:');
      expect(res.stderr).toContain('The same again:');
      expect(res.stderr).not.toContain('typed-at-desk');
      expect(tty.rawModes).toContain(true);
      expect(await withAccess(env.OPD_DATA_DIR, async (a) => (await a.signIn('anita', 'typed-at-desk-1')).actor.role)).toBe('desk');
    });

    it('refuses two different passwords, creating nothing', async () => {
      const res = await run(['user', 'add', 'anita', '--role', 'desk'], env, fakeTerminal(['typed-at-desk-1', 'typed-at-desk-2']));
      expect(res).toMatchObject({ code: 1, stdout: '' });
      expect(res.stderr).toMatch(/opd user add: the two passwords differ: nothing was changed\n$/);
      expect(await accounts()).toEqual([]);
    });
  });
});
