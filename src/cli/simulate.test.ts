import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from './main.ts';
import { INPUT_FLAGS } from './simulate.ts';
import { SOURCES } from '../engine/index.ts';

/** An ANSI escape sequence: ESC followed by `[`. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);
const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'opd-sim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `opd …` in-process and captures what it prints; streams are pipes unless `tty`. */
async function opd(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: options.env ?? {},
    cwd: scratch,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('opd simulate --doctors 3 --seed 42 --json', () => {
  it('prints byte-identical output for the same arguments', async () => {
    const a = await opd(['simulate', '--doctors', '3', '--seed', '42', '--json']);
    const b = await opd(['simulate', '--doctors', '3', '--seed', '42', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
  });

  it('prints another day for another seed', async () => {
    const a = await opd(['simulate', '--doctors', '3', '--seed', '42', '--json']);
    const b = await opd(['simulate', '--doctors', '3', '--seed', '43', '--json']);
    expect(JSON.parse(b.stdout).metrics).not.toEqual(JSON.parse(a.stdout).metrics);
  });

  it('prints one JSON object with the documented fields and nothing else', async () => {
    const { stdout, stderr } = await opd(['simulate', '--doctors', '3', '--seed', '42', '--json']);
    const report = JSON.parse(stdout);
    expect(stderr).toBe('');
    expect(Object.keys(report)).toEqual(['mode', 'simulation', 'inputs', 'policy', 'doctors', 'definitions', 'metrics']);
    expect(report.simulation).toMatchObject({ scenario: 'generated', seed: 42, doctors: 3, date: '2025-03-10', timeZone: 'Asia/Kolkata', utcOffset: '+05:30' });
    expect(Object.keys(report.definitions)).toEqual(
      expect.arrayContaining(['tokens', 'waitMinutes', 'utilisation', 'peakOccupied', 'bumps', 'longestWait', 'invariants']),
    );
    const m = report.metrics;
    expect(Object.keys(m.tokens.bySource)).toEqual([...SOURCES]);
    for (const s of SOURCES) expect(Object.keys(m.waits.bySource[s])).toEqual(['count', 'meanMinutes', 'medianMinutes', 'p90Minutes', 'maxMinutes']);
    expect(m.seats.bySlotTime).toHaveLength(7);
    expect(m.seats.bySlotTime[0]).toMatchObject({ slot: '09:00–10:00', start: '2025-03-10T09:00:00+05:30', plannedCapacity: 18 });
    expect(m.bumps).toHaveProperty('total');
    expect(m.longestWait).toHaveProperty('minutes');
    expect(m.invariants.checks).toBeGreaterThan(1000);
    expect(m.invariants.violations).toBe(0);
    expect(m.refusals.byCode).toHaveProperty('QUEUE_EMPTY');
  });

  it('is what bin/opd.js prints, run as a separate process', async () => {
    const run = () => promisify(execFile)(process.execPath, ['bin/opd.js', 'simulate', '--doctors', '3', '--seed', '42', '--json'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    const [a, b] = [await run(), await run()];
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toBe((await opd(['simulate', '--doctors', '3', '--seed', '42', '--json'])).stdout);
  });
});

describe('opd simulate --scenario assignment-day', () => {
  it('tells the day with token numbers, and prints the final table', async () => {
    const { code, stdout } = await opd(['simulate', '--scenario', 'assignment-day']);
    expect(code).toBe(0);
    expect(stdout).toContain('09:15  GM   GM-005 (paid) took a seat in 09:00–10:00 by bumping GM-002 (online booking), who moved to 10:00–11:00');
    expect(stdout).toContain('09:25  OR   OR-004 (emergency) took the emergency overflow seat in 09:00–10:00 (3/2)');
    expect(stdout).toContain('09:40  GM   GM-003 (online booking) promoted from the waitlist into 09:00–10:00 (seat freed when GM-005 cancelled)');
    expect(stdout).toContain("09:50  PD   PD-003 (online booking) promoted from the waitlist into 09:00–10:00 (seat freed by PD-002's no-show)");
    expect(stdout).toMatch(/│ GM-002 │ Online booking │ Ravi Kumar\s+│ seen\s+│ 10:00–11:00 │\s+1 │\s+10:03 │/);
    // The engine's own counters are for developers: only with --verbose.
    expect(stdout).not.toContain('Invariants:');
    const verbose = (await opd(['simulate', '--scenario', 'assignment-day', '--verbose'])).stdout;
    expect(verbose).toContain('For developers');
    expect(verbose).toMatch(/Invariants: \d+ checks, 0 violations/);
    expect(verbose).toMatch(/Commands run: \d+/);
  });

  it('is the same every time, and the JSON carries the timeline and the tokens', async () => {
    const a = await opd(['simulate', '--scenario', 'assignment-day', '--json']);
    expect((await opd(['simulate', '--scenario', 'assignment-day', '--json'])).stdout).toBe(a.stdout);
    const report = JSON.parse(a.stdout);
    expect(report.simulation.seed).toBeNull();
    expect(report.timeline.some((e: { time: string; kind: string }) => e.time === '09:15' && e.kind === 'bump')).toBe(true);
    expect(report.tokens).toHaveLength(15);
  });
});

describe('colour', () => {
  it('has no escape codes when piped', async () => {
    expect((await opd(['simulate', '--scenario', 'assignment-day'])).stdout).not.toMatch(ANSI);
  });
  it('colours a terminal, unless NO_COLOR or --no-color says not to', async () => {
    expect((await opd(['simulate', '--scenario', 'assignment-day'], { tty: true })).stdout).toMatch(ANSI);
    expect((await opd(['simulate', '--scenario', 'assignment-day'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await opd(['simulate', '--scenario', 'assignment-day', '--no-color'], { tty: true })).stdout).not.toMatch(ANSI);
  });
});

describe('opd simulate --compare', () => {
  // Few days and doctors keep these quick; the arithmetic is checked in src/sim/stats.test.ts and
  // the recommendation in src/sim/recommend.test.ts.
  const args = ['simulate', '--compare', '--doctors', '2', '--seeds', '3', '--seed', '3'];

  it('shows each policy side by side over the days, and ends with a recommendation', async () => {
    const { code, stdout } = await opd(args);
    expect(code).toBe(0);
    for (const name of ['strict-priority', 'emergency-only', 'no preemption', 'aging 45 min', 'no aging', '(in force)']) expect(stdout).toContain(name);
    expect(stdout).toContain('Each policy on the same 3 days (seeds 3–5)');
    expect(stdout).toMatch(/Patients seen\s+│\s+\d+(\.\d)? ±\d/);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^Recommendation: /);
    for (const word of ['WALKIN', 'NO_SHOW', 'QUEUE_EMPTY', 'Invariant']) expect(stdout).not.toContain(word);
  });

  it('prints the same for the same arguments', async () => {
    expect((await opd([...args, '--json'])).stdout).toBe((await opd([...args, '--json'])).stdout);
  });

  it('gives one JSON object: every policy on the same days, with intervals and the recommendation', async () => {
    const report = JSON.parse((await opd([...args, '--goal', 'fewest-expired', '--json'])).stdout);
    expect(report.mode).toBe('compare');
    expect(report.seeds).toEqual([3, 4, 5]);
    expect(report.goal).toBe('fewest-expired');
    expect(report.baseline).toBe('strict-priority/aging-45');
    expect(report.policies.map((p: { key: string }) => p.key)).toEqual([
      'strict-priority/aging-45',
      'strict-priority/no-aging',
      'emergency-only/aging-45',
      'emergency-only/no-aging',
      'off/aging-45',
      'off/no-aging',
    ]);
    const strict = report.policies[0];
    const off = report.policies[4];
    expect(strict.results.seen.values).toHaveLength(3);
    expect(strict.totals.bumps).toBeGreaterThan(0);
    expect(off.totals.bumps).toBe(0);
    expect(off.results.bumped).toMatchObject({ mean: 0, halfWidth: 0 });
    expect(report.recommendation.text).toMatch(/^Recommendation: /);
  });

  it('with --seeds 1, says one day cannot tell a difference from chance', async () => {
    const { stdout } = await opd(['simulate', '--compare', '--doctors', '1', '--seeds', '1']);
    expect(stdout).toContain('Recommendation: none yet. One day cannot tell a real difference from chance');
  });

  it('refuses --seeds and --goal without --compare, and a goal it does not know', async () => {
    for (const bad of [['--seeds', '5'], ['--goal', 'fewest-expired'], ['--compare', '--goal', 'happiest'], ['--compare', '--seeds', '0']]) {
      const { code, stderr } = await opd(['simulate', ...bad]);
      expect(code, bad.join(' ')).toBe(2);
      expect(stderr).toMatch(/error/);
    }
  });
});

describe('opd simulate --preset', () => {
  it('generates a government OPD day: walk-ins, 10 seats an hour, one morning session', async () => {
    const report = JSON.parse((await opd(['simulate', '--preset', 'government-opd', '--doctors', '2', '--json'])).stdout);
    expect(report.inputs).toMatchObject({ capacity: 10, walkinsPerHour: 9, onlineNoShowRate: 0.3, sessions: [{ from: '08:00', to: '14:00' }] });
    expect(report.metrics.tokens.bySource.WALKIN.issued).toBeGreaterThan(report.metrics.tokens.bySource.ONLINE.issued);
  });

  it('lets a flag override one number of the preset', async () => {
    const report = JSON.parse((await opd(['simulate', '--preset', 'private-clinic', '--capacity', '5', '--doctors', '1', '--json'])).stdout);
    expect(report.inputs).toMatchObject({ capacity: 5, consultMeanMinutes: 12 });
  });

  it('says where each preset\'s numbers come from in --help', async () => {
    const { stdout } = await opd(['simulate', '--help']);
    for (const text of ['government-opd', 'private-clinic', 'balanced', 'Where the government-opd numbers come from', 'Irving']) expect(stdout).toContain(text);
  });
});

describe('opd simulate --report', () => {
  it('writes one HTML file with chart.js and the data inside, and says where', async () => {
    const json = await opd(['simulate', '--doctors', '3', '--seed', '42', '--json']);
    const { code, stdout } = await opd(['simulate', '--doctors', '3', '--seed', '42', '--report', 'day.html']);
    expect(code).toBe(0);
    expect(stdout).toContain('HTML report written to day.html');
    const html = readFileSync(join(scratch, 'day.html'), 'utf8');
    // The library itself, inline; nothing for the browser to fetch.
    expect(html.includes(readFileSync(join(root, 'node_modules/chart.js/dist/chart.umd.js'), 'utf8').slice(0, 2000))).toBe(true);
    expect(/<script[^>]*\ssrc=|<link[^>]*\shref=|<img[^>]*\ssrc=/i.test(html)).toBe(false);
    const data = /<script type="application\/json" id="opd-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(data)).toEqual(JSON.parse(json.stdout));
  });

  it('keeps stdout pure JSON with --json, telling people on stderr', async () => {
    const { stdout, stderr } = await opd(['simulate', '--scenario', 'assignment-day', '--json', '--report', 'a.html']);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toContain('a.html');
  });
});

describe('arguments', () => {
  it('overrides the documented inputs from the command line', async () => {
    const report = JSON.parse((await opd(['simulate', '--no-show-rate', '0.3', '--cancel-rate', '0.1', '--walkins-per-hour', '4', '--json'])).stdout);
    expect(report.inputs).toMatchObject({ noShowRate: 0.3, cancelRate: 0.1, walkinsPerHour: 4 });
  });

  it('lands every input flag in the inputs it names', async () => {
    const args = INPUT_FLAGS.flatMap((f) => [f.flags.split(' ')[0]!, f.flags.includes('<p>') ? '0.25' : '5']);
    const report = JSON.parse((await opd(['simulate', '--doctors', '1', ...args, '--json'])).stdout);
    for (const f of INPUT_FLAGS) expect(report.inputs[f.key], f.flags).toBe(f.flags.includes('<p>') ? 0.25 : 5);
  });

  it('turns aging off and changes the policy from the command line', async () => {
    const report = JSON.parse((await opd(['simulate', '--aging', 'off', '--preemption', 'emergency-only', '--max-bumps', '2', '--grace', '10', '--json'])).stdout);
    expect(report.policy).toMatchObject({ agingMinutes: null, preemption: 'emergency-only', maxBumps: 2, noShowGraceMinutes: 10 });
  });

  it('refuses bad values with exit code 2 and a message on stderr', async () => {
    for (const args of [['--no-show-rate', '1.5'], ['--doctors', '0'], ['--seed', 'x'], ['--date', '2025-02-30'], ['--scenario', 'nope'], ['--scenario', 'assignment-day', '--seed', '1']]) {
      const { code, stdout, stderr } = await opd(['simulate', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/error/);
    }
  });

  it('documents the sources of its numbers in --help', async () => {
    const { code, stdout } = await opd(['simulate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--no-show-rate');
    expect(stdout).toContain('Dantas');
    expect(stdout).toContain('2025-03-10');
  });
});
