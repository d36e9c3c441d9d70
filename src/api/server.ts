// The thin server entry: open the store, create the desk, build the app, listen; on SIGINT/SIGTERM
// stop accepting, let in-flight requests finish, end the live feeds, close the desk, then the store.

import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { startDeskTicks, startRetention } from '../service/tick-timer.ts';
import { startDaySummaries } from '../service/summary-job.ts';
import { AccessService } from '../access/access-service.ts';
import { openTokenDesk } from '../service/token-desk.ts';
import { clockFor } from '../time/clock.ts';
import { openStore } from '../store/open-store.ts';
import { buildApp } from './app.ts';
import { PatientDesk } from '../service/patient-desk.ts';
import { OpdMetrics } from './metrics.ts';
import { WEB_ROOT, webDeskBuilt } from './web.ts';

export interface RunningServer {
  app: FastifyInstance;
  /** Accounts, sessions, keys and display links of this server's store. */
  access: AccessService;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** Shuts down gracefully (the signals call it too); resolves when everything is closed. */
  close(): Promise<void>;
  /** Resolves once the server has shut down, by a signal or by `close()`. */
  closed: Promise<void>;
}

export interface ServerIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A second signal while shutting down gives up waiting. */
const FORCED_EXIT_CODE = 130;

export async function startServer(config: Config, io: ServerIo = process): Promise<RunningServer> {
  const metrics = new OpdMetrics();
  let app: FastifyInstance | undefined;
  const store = await openStore(config.store, {
    metrics,
    onListenError: (err) => app?.log.warn({ cause: String(err) }, 'event listener connection lost; reconnecting'),
  });
  let desk;
  let stopTicks = () => {};
  let access: AccessService;
  let adminFromPassword: 'created' | 'exists' | undefined;
  let setup: { code: string; expiresAt: number } | null;
  try {
    desk = await openTokenDesk({
      store,
      timeZone: config.timeZone,
      clock: clockFor(config.clock),
      phoneRegion: config.phoneRegion,
      rotaDays: config.rotaDays,
      retentionDays: config.retentionDays,
      onFeedError: (err) => app?.log.warn({ cause: String(err) }, 'live feed cannot read the event log; retrying'),
      metrics,
    });
    // The system clock's ticks (auto no-show, expiry) every 15 s; a manual clock ticks when it is set.
    if (config.clock === 'system') stopTicks = startDeskTicks(desk, { observer: metrics, onError: (err) => app?.log.error({ err }, 'tick failed') });
    // Personal data past OPD_RETENTION_DAYS is erased now and every hour (SPEC 12).
    const stopRetention = startRetention(desk, { onError: (err) => app?.log.error({ err }, 'erasing personal data past its retention failed') });
    // Each doctor-day is summed for the reports soon after it closes, now and every 10 minutes.
    const stopSummaries = startDaySummaries(desk, { onError: (err) => app?.log.error({ err }, 'summing closed days for the reports failed') });
    const stopClockWork = stopTicks;
    stopTicks = () => {
      stopClockWork();
      stopRetention();
      stopSummaries();
    };
    // Sessions and set-up codes expire by the desk's clock, so a manual clock moves them too.
    const deskClock = desk;
    access = new AccessService(store.access, { clock: { now: () => deskClock.now() }, idleMinutes: config.sessionIdleMinutes });
    if (config.adminPassword !== undefined) adminFromPassword = await access.ensureAdminFromPassword(config.adminPassword);
    const patients = await PatientDesk.open(desk, store.settings);
    app = buildApp({
      desk,
      access,
      patients,
      trustProxy: config.trustProxy,
      logger: { level: config.logLevel },
      webRoot: WEB_ROOT,
      metrics,
      timeouts: config.timeouts,
      feed: { limits: config.feedLimits },
    });
    await app.listen({ host: config.host, port: config.port });
    setup = await access.firstRunSetup();
  } catch (err) {
    stopTicks();
    await desk?.close().catch(() => {});
    await store.close().catch(() => {});
    throw err;
  }

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const storeName = config.store.kind === 'postgres' ? 'PostgreSQL' : config.store.file === ':memory:' ? 'SQLite in memory' : `SQLite ${config.store.file}`;
  io.stdout.write(
    `OPD token desk listening on ${url}\n` +
      (webDeskBuilt()
        ? `  desk     ${url}/  (doctor console ${url}/doctor/<id>, waiting-room board ${url}/board, admin ${url}/admin)\n`
        : `  desk     not built: run \`npm run build:web\` to serve it at ${url}/\n`) +
      `  API      ${url}/api  (contract: ${url}/api/openapi.json)\n` +
      `  docs     ${url}/docs\n` +
      `  health   ${url}/healthz (alive), ${url}/readyz (database answers), ${url}/metrics (Prometheus)\n` +
      `  store    ${storeName}; time zone ${config.timeZone}; clock ${config.clock}\n` +
      (adminFromPassword === 'created' ? `  admin    the account \`admin\` was created with the password in OPD_ADMIN_PASSWORD\n` : '') +
      (setup === null
        ? ''
        : `\n  No administrator yet. Open this link to create the first one (it works once, for 24 hours):\n\n` +
          `    ${url}/setup#${setup.code}\n\n` +
          `  Each start without an administrator prints a new link.\n`),
  );

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const openDesk = desk;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await app.close(); // stops accepting, waits for in-flight requests, ends the live feeds
        stopTicks();
        await openDesk.close();
      } finally {
        await store.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolveClosed();
      }
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      io.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(FORCED_EXIT_CODE);
    }
    io.stdout.write(`${signal}: shutting down…\n`);
    close().catch((err: unknown) => io.stderr.write(`shutdown failed: ${String(err)}\n`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  return { app, access, url, close, closed };
}
