// The clock's ticks of every open doctor-day (auto no-show, expiry), run by a timer, measured: a
// tick that runs late means patients are marked and seats freed late, whether the event loop was
// blocked or the run before it took longer than the interval.

import type { DeskObserver, TokenDesk } from './types.ts';

/** How often a service on the system clock ticks every open doctor-day. */
export const TICK_EVERY_MS = 15_000;

/**
 * Runs `tick` every `everyMs`, never two at once: a timer that fires while a run is still going is
 * skipped, and the next run counts as late since the skipped one was due. Tells `observer` of every
 * run that ends, and `onError` of every run that fails.
 */
export function startTickTimer(tick: () => Promise<unknown>, everyMs: number, observer: DeskObserver, onError: (err: unknown) => void): NodeJS.Timeout {
  let due = Date.now() + everyMs;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const started = Date.now();
    const late = Math.max(0, started - due);
    // Node schedules an interval's next run from when this one fired.
    due = started + everyMs;
    void tick()
      .then(() => observer.tick(late / 1000, (Date.now() - started) / 1000), onError)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return timer;
}

/**
 * The desk's ticks on a timer, as whoever starts the service runs them (a manual clock ticks only
 * when it is set). Returns the function that stops them: call it before closing the desk.
 */
export function startDeskTicks(desk: TokenDesk, opts: { everyMs?: number; observer: DeskObserver; onError: (err: unknown) => void }): () => void {
  const timer = startTickTimer(() => desk.tickAll(), opts.everyMs ?? TICK_EVERY_MS, opts.observer, opts.onError);
  return () => clearInterval(timer);
}

/** How often the retention job looks for personal data past its days (SPEC 12). */
export const RETENTION_EVERY_MS = 60 * 60_000;

/**
 * Retention (SPEC 12): erases the personal data of doctor-days past OPD_RETENTION_DAYS at once and
 * then every `everyMs`, by the desk's clock (a manual clock's day counts). Several servers may run it
 * together: each erases what is still there. Returns the function that stops it.
 */
export function startRetention(desk: TokenDesk, opts: { everyMs?: number; onError: (err: unknown) => void }): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    void desk
      .eraseExpired()
      .catch(opts.onError)
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, opts.everyMs ?? RETENTION_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
