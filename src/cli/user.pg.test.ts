// `opd user` on PostgreSQL, in a database of its own (dropped afterwards): add, list, the last-admin
// refusal, and a password reset, as on the embedded store. Runs only when DATABASE_URL names one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService } from '../access/access-service.ts';
import { openStore } from '../store/open-store.ts';
import { baseUrl, createDatabase, type TestDatabase } from '../../test/kits/pg-kit.ts';
import { opdWithInput } from '../../test/kits/cli/user-kit.ts';

if (!baseUrl) console.log('opd user on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

describe.skipIf(!baseUrl)('opd user (PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createDatabase('opd_user');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('adds, lists, refuses to disable the last admin, and resets a password', async () => {
    const env = { DATABASE_URL: db!.url };
    expect(await opdWithInput(['user', 'list'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no accounts yet/) });
    expect((await opdWithInput(['user', 'add', 'root', '--role', 'admin', '--name', 'Hospital IT'], env, 'admin-password-1\n')).code).toBe(0);
    expect((await opdWithInput(['user', 'add', 'dr.rao', '--role', 'doctor', '--doctors', 'doc-rao'], env, 'stethoscope-42\n')).code).toBe(0);
    expect((await opdWithInput(['user', 'list'], env)).stdout).toBe(
      ['username  role    doctors      state    name', 'dr.rao    doctor  doc-rao      enabled  dr.rao', 'root      admin   all doctors  enabled  Hospital IT', ''].join('\n'),
    );
    expect(await opdWithInput(['user', 'disable', 'root'], env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/only enabled admin/) });
    expect((await opdWithInput(['user', 'passwd', 'dr.rao'], env, 'new-stethoscope-1\n')).code).toBe(0);
    const store = await openStore({ kind: 'postgres', url: db!.url });
    try {
      const access = new AccessService(store.access, { clock: { now: () => new Date() } });
      expect((await access.signIn('dr.rao', 'new-stethoscope-1')).actor).toMatchObject({ role: 'doctor', doctorIds: ['doc-rao'] });
      expect((await access.findAccount('root'))!.disabled).toBe(false);
    } finally {
      await store.close();
    }
  });
});
