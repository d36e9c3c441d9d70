// How long the tests wait for what takes real time: a server process starting, an answer over HTTP, a
// live update reaching a browser, a connection coming back. CI runs on a 2-core machine shared with
// other jobs: there a server that starts in about 2 s on an idle machine took 46 s (4 s of CPU at a
// load average of 25), and a start limit of 20 s failed tests that had nothing wrong with them.
//
// Every wait scaled here ends as soon as its condition holds, so a long limit costs nothing when all
// is well: it only decides how long a real failure takes to be reported. Limits that are part of the
// behaviour under test (a timeout the server must enforce, a rotation period) are not scaled.

/** The factor: OPD_TEST_PATIENCE when set (a positive number), else 4 under CI=true and 2 elsewhere. */
export const PATIENCE = factor(process.env.OPD_TEST_PATIENCE, process.env.CI);

function factor(setting: string | undefined, ci: string | undefined): number {
  if (setting !== undefined && setting !== '') {
    const n = Number(setting);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`OPD_TEST_PATIENCE must be a positive number, not ${JSON.stringify(setting)}`);
    return n;
  }
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0' ? 4 : 2;
}

/** `ms`, an idle machine's generous limit, scaled for the machine the tests run on. */
export function patience(ms: number): number {
  return Math.round(ms * PATIENCE);
}

/** How long a test or a hook may take (vitest's testTimeout and hookTimeout): a few server starts. */
export const TEST_TIMEOUT_MS = patience(75_000);

/** How long a server process may take to print its address and answer /healthz. */
export const SERVER_START_MS = patience(30_000);

/** How long one HTTP request of a test may take before it fails rather than hang. */
export const REQUEST_MS = patience(15_000);

/**
 * expect.poll's options for a live update to show (in a browser, or in a feed): it normally takes
 * well under a second.
 */
export const LIVE = { timeout: patience(10_000), interval: 50 } as const;
