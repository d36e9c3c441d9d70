// The thin server entry: open the store, create the desk, build the app, listen; on SIGINT/SIGTERM
// stop accepting, let in-flight requests finish, end the live feeds, close the desk, then the store.

import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { openTokenDesk } from '../service/token-desk.ts';
import { openStore } from '../store/open-store.ts';
import { buildApp } from './app.ts';
import { OpdMetrics } from './metrics.ts';
import { WEB_ROOT, webDeskBuilt } from './web.ts';

export interface RunningServer {
  app: FastifyInstance;
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
  try {
    desk = await openTokenDesk({
      store,
      timeZone: config.timeZone,
      clock: config.clock,
      phoneRegion: config.phoneRegion,
      onTickError: (err) => app?.log.error({ err }, 'tick failed'),
      onFeedError: (err) => app?.log.warn({ cause: String(err) }, 'live feed cannot read the event log; retrying'),
      metrics,
    });
    app = buildApp({ desk, logger: { level: config.logLevel }, webRoot: WEB_ROOT, metrics, timeouts: config.timeouts, feed: { limits: config.feedLimits } });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
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
      `  store    ${storeName}; time zone ${config.timeZone}; clock ${config.clock}\n`,
  );

  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const openDesk = desk;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await app.close(); // stops accepting, waits for in-flight requests, ends the live feeds
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

  return { app, url, close, closed };
}
