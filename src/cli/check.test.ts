// `opd check` on the embedded database: a sound day passes with a one-line summary; a row changed
// behind the service's back (as a bad mapping, a hand edit or a failed disk would leave it) is found,
// named in words, and fails the check with exit code 1.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenDesk } from '../service/token-desk.ts';
import type { TokenDesk } from '../service/types.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { busyDay, DATE, opd, OTHER_DATE, type BusyDay } from '../../test/kits/cli/check-kit.ts';
import { ManualClock } from '../time/clock.ts';

describe('opd check (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opd-check-'));
  const file = join(dir, 'opd.sqlite');
  const env = { OPD_DATA_DIR: dir };
  let store: Store;
  let desk: TokenDesk;
  let day: BusyDay;
  let raw: Database.Database;

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', file });
    desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock() });
    day = await busyDay(desk);
    raw = new Database(file);
  });
  afterAll(async () => {
    raw.close();
    await desk.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `work` on the raw file, then puts the rows back as they were. */
  async function corrupted(sql: string, params: unknown[], check: () => Promise<void>): Promise<void> {
    const before = { tokens: raw.prepare('SELECT * FROM tokens').all(), slots: raw.prepare('SELECT * FROM slots').all() };
    raw.prepare(sql).run(...params);
    try {
      await check();
    } finally {
      raw.exec('DELETE FROM tokens; DELETE FROM slots');
      for (const r of before.tokens as Record<string, unknown>[]) raw.prepare(`INSERT INTO tokens (${Object.keys(r).join(',')}) VALUES (${Object.keys(r).map(() => '?').join(',')})`).run(...Object.values(r));
      for (const r of before.slots as Record<string, unknown>[]) raw.prepare(`INSERT INTO slots (${Object.keys(r).map((k) => `"${k}"`).join(',')}) VALUES (${Object.keys(r).map(() => '?').join(',')})`).run(...Object.values(r));
    }
  }

  it('passes a sound store with a one-line summary, while the desk still has it open', async () => {
    const { code, stdout, stderr } = await opd(['check'], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^opd check: 2 doctor-days sound and as the event log says \(8 tokens, 3 slots, \d+ events; [\d.]+ s\)\n$/);
    const one = await opd(['check', '--date', OTHER_DATE], env);
    expect(one.stdout).toMatch(/^opd check: 1 doctor-day on 2026-03-11 sound .*\(1 token, 1 slot, /);
    expect((await opd(['check', '--date', '2026-03-12'], env)).stdout).toBe(`opd check: no doctor-days on 2026-03-12 in ${file}: nothing to check\n`);
  });

  it('the day under test has a skip, a bump, a completion and a cancellation to check', async () => {
    const rows = raw.prepare('SELECT number, status, bumps, skips FROM tokens WHERE date = ? ORDER BY number').all(DATE) as { status: string; bumps: number; skips: number }[];
    expect(rows.some((r) => r.skips > 0)).toBe(true);
    expect(rows.some((r) => r.bumps > 0)).toBe(true);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['COMPLETED', 'CANCELLED', 'CHECKED_IN', 'ALLOCATED', 'WAITLISTED']));
  });

  it('finds a token row changed behind the service, says what differs, and exits 1', async () => {
    await corrupted('UPDATE tokens SET skips = 0 WHERE id = ?', [day.skipped.id], async () => {
      const { code, stdout } = await opd(['check'], env);
      expect(code).toBe(1);
      expect(stdout).toBe(
        `Dr Meera Iyer (GM) on ${DATE}: 1 difference\n` +
          `  - token ${day.skipped.number}: the tokens table says skips 0; the event log says 1\n` +
          stdout.split('\n').at(-2) +
          '\n',
      );
      expect(stdout.split('\n').at(-2)).toMatch(/^opd check: 1 of 2 doctor-days differ from the event log \(1 difference; 8 tokens, 3 slots, \d+ events; [\d.]+ s\)$/);
      // The other date is sound on its own.
      expect((await opd(['check', '--date', OTHER_DATE], env)).code).toBe(0);
    });
  });

  it('names each kind of difference: a slot counter, a time, a moved token, a missing and a stray row', async () => {
    const [asha, ravi] = day.tokens;
    await corrupted('UPDATE slots SET occupied = occupied + 1 WHERE date = ? AND start = (SELECT min(start) FROM slots WHERE date = ?)', [DATE, DATE], async () => {
      const { code, stdout } = await opd(['check'], env);
      expect(code).toBe(1);
      const [, has, want] = / {2}- slot 09:00–10:00 \(id [\w-]+\): the slots table says occupied (\d+); the event log says (\d+)\n/.exec(stdout) ?? [];
      expect(Number(has)).toBe(Number(want) + 1);
    });
    const seat = raw.prepare('SELECT slot_id FROM tokens WHERE id = ?').pluck().get(day.skipped.id) as string;
    await corrupted('UPDATE tokens SET slot_id = NULL WHERE id = ?', [day.skipped.id], async () => {
      expect((await opd(['check'], env)).stdout).toContain(
        `token ${day.skipped.number}: the tokens table says slot_id empty (null); the event log says 09:00–10:00 (id ${seat})`,
      );
    });
    await corrupted('UPDATE tokens SET issued_at = issued_at + 1 WHERE id = ?', [asha!.id], async () => {
      expect((await opd(['check'], env)).stdout).toMatch(
        /token GM-001: the tokens table says issued_at 2026-03-10T08:00:00\+05:30 \(\d+001 ms\); the event log says 2026-03-10T08:00:00\+05:30 \(\d+000 ms\)/,
      );
    });
    await corrupted('DELETE FROM tokens WHERE id = ?', [ravi!.id], async () => {
      expect((await opd(['check'], env)).stdout).toContain(`token GM-002 (id ${ravi!.id}) is in the event log but has no row in the tokens table`);
    });
    await corrupted(
      "INSERT INTO tokens (id, doctor_id, date, number, slot_id, source, status, issued_at, bumps, skips) SELECT 'stray', doctor_id, date, 'GM-099', NULL, source, status, issued_at, 0, 0 FROM tokens WHERE id = ?",
      [ravi!.id],
      async () => {
        expect((await opd(['check'], env)).stdout).toContain('the tokens table has a row for token GM-099 (id stray) that the event log of this day does not issue');
      },
    );
    expect((await opd(['check'], env)).code).toBe(0);
  });

  it('says why it cannot check, with exit code 2: no database, memory, a bad date, a file that is not a database', async () => {
    const none = await opd(['check'], { OPD_DATA_DIR: join(dir, 'nowhere') });
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain(`there is no database at ${join(dir, 'nowhere')}/opd.sqlite`);
    expect((await opd(['check'], { DATABASE_URL: 'memory' })).code).toBe(2);
    const date = await opd(['check', '--date', '2026-02-30'], env);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--date/);
    const junkDir = join(dir, 'junk');
    const junk = await (async () => {
      rmSync(junkDir, { recursive: true, force: true });
      await import('node:fs').then((fs) => fs.mkdirSync(junkDir));
      writeFileSync(join(junkDir, 'opd.sqlite'), 'not a database at all, just text '.repeat(100));
      return opd(['check'], { OPD_DATA_DIR: junkDir });
    })();
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/opd check: could not read the database .*opd\.sqlite: file is not a database/);
  });
});
