// `opd check` on PostgreSQL: the same day as check.test.ts, in a database of its own
// (opd_check_<random>, dropped afterwards); a token row changed behind the service is found and
// named, with exit code 1. Runs only when DATABASE_URL names a PostgreSQL server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenDesk } from '../service/token-desk.ts';
import type { TokenDesk } from '../service/types.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { baseUrl, createDatabase, sql, type TestDatabase } from '../../test/kits/pg-kit.ts';
import { busyDay, DATE, opd, type BusyDay } from '../../test/kits/cli/check-kit.ts';
import { ManualClock } from '../time/clock.ts';

if (!baseUrl) console.log('opd check on PostgreSQL skipped: set DATABASE_URL=postgres://… to run it');

describe.skipIf(!baseUrl)('opd check (PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  let dbUrl = '';
  let store: Store | undefined;
  let desk: TokenDesk | undefined;
  let day: BusyDay;

  beforeAll(async () => {
    db = await createDatabase('opd_check');
    dbUrl = db.url;
    store = await openStore({ kind: 'postgres', url: dbUrl });
    desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock() });
    day = await busyDay(desk);
  });

  afterAll(async () => {
    await desk?.close();
    await store?.close();
    await db?.drop();
  });

  it('passes the sound day, then finds a token row changed behind the service and exits 1', async () => {
    const env = { DATABASE_URL: dbUrl };
    const sound = await opd(['check'], env);
    expect({ code: sound.code, stderr: sound.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sound.stdout).toMatch(/^opd check: 2 doctor-days sound and as the event log says \(8 tokens, 3 slots, \d+ events; [\d.]+ s\)\n$/);

    await sql(dbUrl, (c) => c.query('UPDATE tokens SET skips = 0, bumps = bumps + 2 WHERE id = $1', [day.skipped.id]));
    const bad = await opd(['check'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`Dr Meera Iyer (GM) on ${DATE}: 2 differences\n`);
    expect(bad.stdout).toMatch(new RegExp(`  - token ${day.skipped.number}: the tokens table says bumps (\\d+); the event log says \\d+\\n`));
    expect(bad.stdout).toContain(`  - token ${day.skipped.number}: the tokens table says skips 0; the event log says 1\n`);
    expect(bad.stdout).toMatch(/\nopd check: 1 of 2 doctor-days differ from the event log \(2 differences; 8 tokens, 3 slots, \d+ events; [\d.]+ s\)\n$/);
  });

  it('says it cannot read a database without the tables, with exit code 2', async () => {
    const u = new URL(dbUrl);
    u.searchParams.set('options', '-c search_path=no_such_schema');
    const { code, stderr } = await opd(['check'], { DATABASE_URL: u.toString() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/opd check: could not read the database PostgreSQL: relation "doctors" does not exist/);
  });
});
