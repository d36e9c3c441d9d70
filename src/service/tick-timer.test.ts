// The tick timer reports how late each run started and how long it took; a run that overruns the
// interval makes the next one late. Times are asserted as lower bounds only: a loaded machine only
// makes them larger.

import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { SYSTEM_CLOCK } from '../time/clock.ts';
import { startDeskTicks, startTickTimer } from './tick-timer.ts';
import { createTokenDesk } from './token-desk.ts';
import type { DeskObserver, TokenDesk } from './types.ts';
import { AS_DESK } from '../../test/kits/service/test-kit.ts';

interface Run {
  late: number;
  seconds: number;
}

function recorder() {
  const runs: Run[] = [];
  const observer: DeskObserver = { committed: () => {}, tick: (late, seconds) => runs.push({ late, seconds }) };
  return { runs, observer };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('startTickTimer', () => {
  let timer: NodeJS.Timeout | undefined;
  afterEach(() => clearInterval(timer));

  it('reports how long a run took, and a run overrunning the interval makes the next one late', async () => {
    const { runs, observer } = recorder();
    let active = 0;
    let mostAtOnce = 0;
    timer = startTickTimer(
      async () => {
        mostAtOnce = Math.max(mostAtOnce, ++active);
        await sleep(250);
        active--;
      },
      100,
      observer,
      (err) => {
        throw err;
      },
    );
    await until(() => runs.length >= 2);
    expect(runs[0]!.seconds).toBeGreaterThanOrEqual(0.2);
    // The fires at 200 and 300 ms found the first run still going: the one due at 200 ms ran at 400 ms or later.
    expect(runs[1]!.late).toBeGreaterThanOrEqual(0.1);
    // Never two at once.
    expect(mostAtOnce).toBe(1);
  });

  it('reports a run delayed by a blocked event loop as late', async () => {
    const { runs, observer } = recorder();
    timer = startTickTimer(async () => {}, 100, observer, () => {});
    const blockedUntil = Date.now() + 400;
    while (Date.now() < blockedUntil) {
      // busy: the timer cannot fire
    }
    await until(() => runs.length >= 1);
    expect(runs[0]!.late).toBeGreaterThanOrEqual(0.25);
  });

  it('tells of a failed run, and does not report it as a tick', async () => {
    const { runs, observer } = recorder();
    const errors: unknown[] = [];
    timer = startTickTimer(() => Promise.reject(new Error('database gone')), 50, observer, (err) => errors.push(err));
    await until(() => errors.length >= 2);
    expect(runs).toEqual([]);
    expect((errors[0] as Error).message).toBe('database gone');
  });
});

describe('the desk reports', () => {
  let store: Store;
  let desk: TokenDesk | undefined;
  let stop = () => {};
  afterEach(async () => {
    stop();
    await desk?.close();
    await store.close();
  });

  it('its timer ticks, with the events a change committed', async () => {
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    const { runs } = recorder();
    const committed: string[][] = [];
    const observer: DeskObserver = { committed: (events) => committed.push(events.map((e) => e.type)), tick: (late, seconds) => runs.push({ late, seconds }) };
    desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: SYSTEM_CLOCK, metrics: observer });
    stop = startDeskTicks(desk, { everyMs: 50, observer, onError: (err) => { throw err; } });
    await until(() => runs.length >= 1);
    const doctor = await desk.createDoctor({ name: 'Dr Asha Rao', department: 'General Medicine', code: 'GM' }, AS_DESK);
    // The doctor is not a doctor-day change; its first day's slot is.
    expect(committed).toEqual([]);
    const start = new Date(Date.now() + 3_600_000);
    await desk.createSlot({ doctorId: doctor.id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), capacity: 2 }, AS_DESK);
    expect(committed.flat()).toContain('SlotCreated');
  });
});
