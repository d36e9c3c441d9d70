// GET /api/events: the live feed as server-sent events (waiting-room boards, the doctor console).
//
// Where a stream starts: after `Last-Event-ID` (what a reconnecting EventSource sends), else after
// `?after=`, else at "now" — after the latest event when the client connects, so that a board opened
// in the afternoon is not flooded with the morning. A client that wants the history asks `?after=0`.
// A position ahead of the log (the database was restored from a backup, or replaced) starts at the
// latest event instead: waiting for that number would send nothing for ever, and a 400 would leave
// an EventSource, which resends the same Last-Event-ID, failing in a loop.
//
// Open streams are capped per client address and in all (each holds a connection); past a cap the
// answer is 503 FEED_FULL with Retry-After.
//
// The stream's life (headers, heartbeat, slow clients, the credential's recheck, the end) is
// sse-stream.ts's, shared with the patient page's stream: one read of the log per wake-up for every
// open feed, handed out by doctor, each event serialized once as `id/event/data` whatever the number
// of feeds that show it; what is committed within batchMs (200 ms) of the last page goes out in one
// chunk. While the database is away a stream stays open and looks again later. It
// stops when the client goes away or the app closes.

import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { doctorsFor } from '../../access/roles.ts';
import type { Actor } from '../../access/types.ts';
import { z } from 'zod';
import type { FeedEvent, TokenDesk } from '../../service/types.ts';
import { FEED_DEFAULTS, type FeedLimits } from '../limits.ts';
import { problem, sendProblem } from '../problem.ts';
import { SseFanout } from '../sse-stream.ts';
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
  /** Events committed within this long of the last sent go out together, one write per stream (default 200 ms). */
  batchMs?: number;
}

/** Who the request's credential names now (null once revoked, expired or signed out). */
export type Recheck = (request: FastifyRequest) => Promise<Actor | null>;
/** Seconds a refused feed is told to wait: long enough for a freed place, short for a board. */
const FULL_RETRY_AFTER_S = 10;

/** The events as SSE frames; `event:` is the event type, `data:` one line of JSON. */
export function sseFrame(e: FeedEvent): string {
  const type = e.type.replace(/[\r\n]/g, '');
  return `id: ${e.seq}\nevent: ${type}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * Each event is serialized once, whatever the number of streams and reads that send it: the desk
 * hands out the same FeedEvent object for a stored event while it is in the feed's memory.
 */
const frames = new WeakMap<FeedEvent, string>();
function frameOf(e: FeedEvent): string {
  let frame = frames.get(e);
  if (frame === undefined) frames.set(e, (frame = sseFrame(e)));
  return frame;
}

export const eventRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk; feed?: FeedOptions; recheck: Recheck }> = async (app, { desk, feed, recheck }) => {
  const heartbeatMs = feed?.heartbeatMs ?? 15_000;
  const recheckMs = feed?.recheckMs ?? 15_000;
  const pollMs = feed?.pollMs ?? 1_000;
  const fanout = new SseFanout(desk, {
    heartbeatMs,
    pollMs,
    recheckMs,
    batchMs: feed?.batchMs ?? 200,
    limits: { ...FEED_DEFAULTS, ...feed?.limits },
    keyOf: (e) => e.doctorId,
    render: (events) => (events.length === 1 ? frameOf(events[0]!) : events.map(frameOf).join('')),
    failure: 'event feed failed',
  });
  // preClose ends every open stream, so that the server can close and the desk is not read after it was closed.
  app.addHook('preClose', () => fanout.close());

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

      // From here to the stream's start nothing awaits, so concurrent requests cannot all pass.
      const which = fanout.full(request.ip);
      if (which !== null) {
        reply.header('retry-after', String(FULL_RETRY_AFTER_S));
        return sendProblem(request, reply, problem('FEED_FULL', `Too many live feeds are open (at most ${which}); try again in ${FULL_RETRY_AFTER_S} s.`));
      }
      // Tell the browser how soon to reconnect, and flush the headers at once.
      const ahead = asked !== undefined && asked > latest ? ` (asked after ${asked}, ahead of the log)` : '';
      fanout.start(request, reply, {
        from,
        // The doctors this stream may show; asked again every recheckMs, and the stream ends once its
        // credential no longer resolves (a display link revoked, a session ended, a key revoked).
        keys: request.actor === null ? [] : doctorsFor(request.actor, 'readFeed'),
        recheck: async () => {
          const actor = await recheck(request);
          return actor === null ? null : doctorsFor(actor, 'readFeed');
        },
        headers: { 'cache-control': 'no-cache, no-transform' },
        preamble: `retry: 3000\n: feed after ${from}${ahead}\n\n`,
      });
    },
  });
};
