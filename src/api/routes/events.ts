// GET /api/events: the live feed as server-sent events (waiting-room boards, the doctor console).
//
// Where a stream starts: after `Last-Event-ID` (what a reconnecting EventSource sends), else after
// `?after=`, else at "now" — after the latest event when the client connects, so that a board opened
// in the afternoon is not flooded with the morning. A client that wants the history asks `?after=0`.
// A position ahead of the log (the database was restored from a backup, or replaced) starts at the
// latest event instead: waiting for that number would send nothing for ever, and a 400 would leave
// an EventSource, which resends the same Last-Event-ID, failing in a loop.
//
// Open streams are capped per client address and in all (each holds a connection and a poll loop);
// past a cap the answer is 503 FEED_FULL with Retry-After.
//
// The loop pages `desk.eventsAfter(last, 500)`, writes each event as `id/event/data`, and waits on
// `desk.waitForEvents(last, 1000)` (all feeds share one read of the log per wake-up, and are mostly
// served from memory); a comment line keeps idle connections (and proxies) alive. While the database
// is away the stream stays open and looks again later. It stops
// when the client goes away or the app closes (preClose ends every open stream, so that the server
// can close and the desk is not read after it was closed).

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { doctorsFor } from '../../access/roles.ts';
import type { Actor } from '../../access/types.ts';
import { z } from 'zod';
import type { FeedEvent, TokenDesk } from '../../service/types.ts';
import { StoreUnavailableError } from '../../store/errors.ts';
import { FEED_DEFAULTS, type FeedLimits } from '../limits.ts';
import { problem, sendProblem } from '../problem.ts';
import { EventsHeaders, EventsQuery, problems } from '../schemas.ts';

export interface FeedOptions {
  /** A comment line after this long without writing (default 15 s). */
  heartbeatMs?: number;
  /** How long one wait for new events lasts before looking again (default 1 s). */
  pollMs?: number;
  /** Open streams allowed from one client address and in all (limits.ts has the defaults). */
  limits?: Partial<FeedLimits>;
  /** How often an open stream asks again who its client is (default 15 s): a revoked link ends it. */
  recheckMs?: number;
}

/** Who the request's credential names now (null once revoked, expired or signed out). */
export type Recheck = (request: FastifyRequest) => Promise<Actor | null>;
/** Seconds a refused feed is told to wait: long enough for a freed place, short for a board. */
const FULL_RETRY_AFTER_S = 10;

const PAGE = 500;

/** The events as SSE frames; `event:` is the event type, `data:` one line of JSON. */
export function sseFrame(e: FeedEvent): string {
  const type = e.type.replace(/[\r\n]/g, '');
  return `id: ${e.seq}\nevent: ${type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export const eventRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk; feed?: FeedOptions; recheck: Recheck }> = async (app, { desk, feed, recheck }) => {
  const heartbeatMs = feed?.heartbeatMs ?? 15_000;
  const recheckMs = feed?.recheckMs ?? 15_000;
  const pollMs = feed?.pollMs ?? 1_000;
  const { maxPerClient, maxTotal } = { ...FEED_DEFAULTS, ...feed?.limits };
  /** Open streams: each one's stop function and the promise of its loop. */
  const streams = new Set<{ stop: () => void; done: Promise<void> }>();
  /** Open streams per client address. */
  const perClient = new Map<string, number>();

  app.addHook('preClose', async () => {
    const open = [...streams];
    for (const s of open) s.stop();
    await Promise.all(open.map((s) => s.done));
  });

  app.get('/api/events', {
    // A HEAD would open a stream that never ends.
    exposeHeadRoute: false,
    schema: {
      tags: ['events'],
      summary: 'Live feed of events (server-sent events)', operationId: 'streamEvents',
      description:
        'Only events of the doctors the caller may follow (a display link its own, a doctor its own); the stream ends when its credential is revoked or ends (checked every 15 s). text/event-stream: `id: <seq>`, `event: <type>`, `data: <FeedEvent JSON>`. Starts after Last-Event-ID, else after `?after=`, else after the latest event at connection time (use `?after=0` for the whole log); a position ahead of the log starts at the latest event. Never carries patient names or phones. Open feeds are capped per client address and in all: 503 FEED_FULL with Retry-After.',
      querystring: EventsQuery,
      headers: EventsHeaders,
      response: {
        200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...problems(400, 503),
      },
    },
    handler: async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      const asked = lastEventId !== undefined ? Number(lastEventId) : request.query.after;
      const latest = await desk.latestSeq();
      const from = asked === undefined || asked > latest ? latest : asked;

      // From here to the stream's registration nothing awaits, so concurrent requests cannot all pass.
      const client = request.ip;
      const fromClient = perClient.get(client) ?? 0;
      if (streams.size >= maxTotal || fromClient >= maxPerClient) {
        const which = streams.size >= maxTotal ? `the server's ${maxTotal}` : `${maxPerClient} from one address`;
        reply.header('retry-after', String(FULL_RETRY_AFTER_S));
        return sendProblem(request, reply, problem('FEED_FULL', `Too many live feeds are open (at most ${which}); try again in ${FULL_RETRY_AFTER_S} s.`));
      }
      perClient.set(client, fromClient + 1);

      let stopped = false;
      let wake: () => void = () => {};
      const stoppedSignal = new Promise<void>((resolve) => (wake = resolve));
      const stop = () => {
        stopped = true;
        wake();
      };

      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      res.on('close', stop);

      let lastWrite = Date.now();
      const write = async (text: string) => {
        lastWrite = Date.now();
        if (!res.write(text)) {
          // A slow client: wait until it drains (or goes away) before reading more events.
          await Promise.race([new Promise((resolve) => res.once('drain', resolve)), stoppedSignal]);
        }
      };

      // The doctors this stream may show; asked again every recheckMs, and the stream ends once its
      // credential no longer resolves (a display link revoked, a session ended, a key revoked).
      let scope = request.actor === null ? [] : doctorsFor(request.actor, 'readFeed');
      let checkedAt = Date.now();
      const stillAllowed = async (): Promise<boolean> => {
        if (Date.now() - checkedAt < recheckMs) return true;
        checkedAt = Date.now();
        let actor: Actor | null;
        try {
          actor = await recheck(request);
        } catch (err) {
          // The database is away: keep the stream (it waits for the log anyway) and ask again later.
          if (err instanceof StoreUnavailableError) return true;
          throw err;
        }
        if (actor === null) return false;
        scope = doctorsFor(actor, 'readFeed');
        return scope === 'all' || scope.length > 0;
      };
      const shown = (e: FeedEvent) => scope === 'all' || scope.includes(e.doctorId);

      const loop = async () => {
        let last = from;
        // Tell the browser how soon to reconnect, and flush the headers at once.
        const ahead = asked !== undefined && asked > latest ? ` (asked after ${asked}, ahead of the log)` : '';
        await write(`retry: 3000\n: feed after ${last}${ahead}\n\n`);
        while (!stopped) {
          if (!(await stillAllowed())) {
            await write(`event: revoked\ndata: {}\n\n`);
            return;
          }
          let page: FeedEvent[];
          try {
            page = await desk.eventsAfter(last, PAGE);
          } catch (err) {
            // A lost database passes; a closed stream would make the browser give up on a 503.
            if (!(err instanceof StoreUnavailableError)) throw err;
            await Promise.race([new Promise((resolve) => setTimeout(resolve, pollMs)), stoppedSignal]);
            continue;
          }
          for (const e of page) {
            if (stopped) return;
            if (shown(e)) await write(sseFrame(e));
            last = e.seq;
          }
          if (stopped || page.length === PAGE) continue;
          await Promise.race([desk.waitForEvents(last, pollMs), stoppedSignal]);
          if (!stopped && Date.now() - lastWrite >= heartbeatMs) await write(`: heartbeat\n\n`);
        }
      };

      const entry = {
        stop,
        done: loop()
          .catch((err: unknown) => {
            if (!stopped) request.log.error({ err }, 'event feed failed');
          })
          .finally(() => {
            streams.delete(entry);
            const left = (perClient.get(client) ?? 1) - 1;
            if (left > 0) perClient.set(client, left);
            else perClient.delete(client);
            if (!res.writableEnded) res.end();
          }),
      };
      streams.add(entry);
    },
  });
};
