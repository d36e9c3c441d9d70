// The reports' summaries kept up to date as days close (src/service/desk-reports.ts): each doctor-day
// is summed in the background soon after its last slot ends, so that the first report after it reads
// a stored summary instead of the day's whole log. Scheduled like retention (tick-timer.ts): at once,
// then every few minutes, never two runs at once; the days are judged by the desk's clock (a manual
// clock's time counts).

import type { TokenDesk } from './types.ts';

/** How often the job looks for closed doctor-days to sum. */
export const SUMMARIES_EVERY_MS = 10 * 60_000;

/**
 * Sums the closed doctor-days now and then every `everyMs`. Several servers may run it together:
 * summaries are stamped with the events they summed, and an older never replaces a newer. Returns the
 * function that stops the timer (closing the desk ends a run under way).
 */
export function startDaySummaries(desk: Pick<TokenDesk, 'summarizeClosedDays'>, opts: { everyMs?: number; onError: (err: unknown) => void }): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    void desk
      .summarizeClosedDays()
      .catch(opts.onError)
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, opts.everyMs ?? SUMMARIES_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
