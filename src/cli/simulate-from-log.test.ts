// `opd simulate --from-log`: the small day (test/kits/reports/small-day.ts) played through the API into an
// embedded database file, then replayed by the command under emergency-only (worked by hand in
// src/sim/from-log.test.ts: the paid patient GM-003 gets no seat, nobody is bumped).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injected, playSmallDay } from '../../test/suites/api/routes/reports-suite.ts';
import { harness } from '../../test/kits/api/test-kit.ts';
import { openStore } from '../store/open-store.ts';
import { main, type CliIo } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'opd-from-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function opd(args: string[], env: Record<string, string> = { OPD_DATA_DIR: dir }) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, cwd: dir };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  const h = await harness({ store: () => openStore({ kind: 'sqlite', file: join(dir, 'opd.sqlite') }) });
  await playSmallDay(injected(h.sut));
  await h.close();
});

describe('opd simulate --from-log DATE --policy MODE', () => {
  it('prints the day side by side with what happened, and the patient whose day changes', async () => {
    const { code, stdout, stderr } = await opd(['simulate', '--from-log', '2026-03-10', '--policy', 'emergency-only', '--doctor', 'GM']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('What if — Tuesday 10 March 2026, Dr Rao');
    expect(stdout).toContain('What happened: any more urgent patient may take a booked seat.');
    expect(stdout).toContain('What if: only emergencies may take a booked seat.');
    const line = (label: string) => stdout.split('\n').find((l) => l.includes(` ${label} `))?.split('│').map((c) => c.trim()).filter(Boolean);
    expect(line('Patients seen')).toEqual(['Patients seen', '4', '3', '−1']);
    expect(line('Got no seat')).toEqual(['Got no seat', '0', '1', '+1']);
    expect(line('Everyone: median wait')).toEqual(['Everyone: median wait', '15.5 min', '10 min', '−5.5 min']);
    expect(line('Gave up their seat to a more urgent patient')).toEqual(['Gave up their seat to a more urgent patient', '1', '0', '−1']);
    expect(line('GM-003')).toEqual(['Dr Rao', 'GM-003', 'Paid', 'seen', 'got no seat']);
    expect(stdout).not.toMatch(/Chitra|PAID|EXPIRED|WALKIN/);
  });

  it('--json: both reports and the changes', async () => {
    const { code, stdout } = await opd(['simulate', '--from-log', '2026-03-10', '--policy', 'off', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.policy.preemption).toBe('off');
    expect(out.changes).toEqual([{ doctor: 'Dr Rao', change: { number: 'GM-003', source: 'PAID', real: 'seen', whatIf: 'expired' } }]);
    expect(out.real.hospital.seen).toBe(4);
  });

  it('refuses what it cannot do, in words', async () => {
    expect(await opd(['simulate', '--from-log', '2026-03-10'])).toMatchObject({ code: 2 });
    expect(await opd(['simulate', '--from-log', '2026-03-10', '--policy', 'off', '--doctor', 'XX'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no doctor with the id or code XX') });
    expect(await opd(['simulate', '--from-log', '2026-02-01', '--policy', 'off'])).toMatchObject({ code: 1, stderr: expect.stringContaining('no doctor-day on 2026-02-01') });
    expect(await opd(['simulate', '--from-log', '2026-03-10', '--policy', 'off'], { OPD_DATA_DIR: join(dir, 'none') })).toMatchObject({ code: 2, stderr: expect.stringContaining('there is no database') });
  });
});
