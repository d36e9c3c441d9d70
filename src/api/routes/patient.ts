// The patient's own page (SPEC 11), public: the code printed on the slip is the only credential.
//   GET /t/<code>                    the page (dist/web/patient.html, its own small bundle), or a plain
//                                    404 page that reveals nothing for a code this server did not make;
//   GET /api/patient/<code>          that token, its doctor and its doctor's numbers (PatientPage);
//   GET /api/patient/<code>/events   a live stream that says "changed" (with the event's sequence number
//                                    and nothing else) whenever that token's doctor-day changes; the page
//                                    then reads its answer again.
// The address is a secret: never cached, never sent on as a referrer, never indexed.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PatientDesk } from '../../service/patient-desk.ts';
import type { FeedEvent, TokenDesk } from '../../service/types.ts';
import { FEED_DEFAULTS, type FeedLimits } from '../limits.ts';
import { CodeParams, PatientPage } from '../patient-schemas.ts';
import { problem, sendProblem } from '../problem.ts';
import { problems } from '../schemas.ts';
import { SseFanout } from '../sse-stream.ts';

/** No script, no style sheet, no link: a wrong code learns nothing, not even whether a token exists. */
export const NO_SUCH_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Token page not found</title>
</head>
<body style="font-family: system-ui, sans-serif; font-size: 1.25rem; line-height: 1.5; margin: 8vh 6vw; color: #111; background: #fff">
<h1>We cannot find this token</h1>
<p>Please check the address, or scan the code on your slip again. If it still does not open, ask at the registration desk.</p>
<p lang="hi">यह टोकन नहीं मिला। पर्ची पर दिया कोड फिर से स्कैन करें, या पंजीकरण डेस्क पर पूछें।</p>
</body>
</html>
`;

export interface PatientRouteOptions {
  desk: TokenDesk;
  patients: PatientDesk;
  /** The built web app (dist/web); the page is its patient.html. */
  webRoot?: string;
  limits?: Partial<FeedLimits>;
  heartbeatMs?: number;
  pollMs?: number;
}

const FULL_RETRY_AFTER_S = 10;
/**
 * A page reads its whole answer again on "changed": one a second is enough, however many events
 * its doctor-day has meanwhile (at the morning's booking rush, a few a second).
 */
const PAGE_BATCH_MS = 1_000;

const dayKey = (doctorId: string, date: string) => `${doctorId} ${date}`;

/** One "changed" for some events of the token's doctor-day is enough: the page reads its whole answer again. */
function changedFrame(events: readonly FeedEvent[]): string {
  const seq = events.at(-1)!.seq;
  return `id: ${seq}\nevent: changed\ndata: {"seq":${seq}}\n\n`;
}

function secretAddress(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
}

export const patientRoutes: FastifyPluginAsyncZod<PatientRouteOptions> = async (app, opts) => {
  const { desk, patients } = opts;
  const fanout = new SseFanout(desk, {
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    pollMs: opts.pollMs ?? 1_000,
    recheckMs: Number.POSITIVE_INFINITY,
    batchMs: PAGE_BATCH_MS,
    limits: { ...FEED_DEFAULTS, ...opts.limits },
    keyOf: (e) => dayKey(e.doctorId, e.date),
    render: changedFrame,
    failure: 'patient page stream failed',
  });
  const tags = ['patient'];

  app.addHook('preClose', () => fanout.close());

  app.get('/t/:code', {
    schema: { hide: true, params: z.object({ code: z.string() }) },
    handler: async (request, reply) => {
      secretAddress(reply);
      if (!patients.knowsCode(request.params.code)) return reply.code(404).type('text/html; charset=utf-8').send(NO_SUCH_PAGE);
      let html: string;
      try {
        if (opts.webRoot === undefined) throw new Error('no web root');
        html = await readFile(join(opts.webRoot, 'patient.html'), 'utf8');
      } catch {
        return reply.code(503).type('text/plain; charset=utf-8').send('The patient page is not built. Run `npm run build:web`, then restart the server.\n');
      }
      return reply.type('text/html; charset=utf-8').send(html);
    },
  });

  app.get('/api/patient/:code', {
    schema: {
      tags,
      summary: "A patient's own page: one token, its doctor and the doctor's queue, by the code on the slip",
      operationId: 'getPatientPage',
      description:
        "Public: the code (printed on the slip as a QR code) is the credential. The token's number, status, slot, estimated time, where it stands, the numbers being served, the doctor's delay, and what happened to it. Never a patient's name, phone or id, this one's or another's. Once the day has passed or the personal data was erased, `state` is `over` and only the number and date remain. A code this server did not make is 404 NOT_FOUND.",
      params: CodeParams,
      response: { 200: PatientPage, ...problems(400, 404) },
    },
    handler: async (request, reply) => {
      secretAddress(reply);
      return patients.view(request.params.code);
    },
  });

  app.get('/api/patient/:code/events', {
    exposeHeadRoute: false,
    schema: {
      tags,
      summary: "A patient page's live stream: says when the token's doctor-day changed",
      operationId: 'streamPatientEvents',
      description:
        "Server-sent events, public with the slip's code. `event: changed`, `data: {\"seq\": <n>}` whenever an event of the token's doctor-day is recorded (nothing else: no type, no token, no name); the page then reads GET /api/patient/{code} again. Reconnecting is left to the browser's EventSource. Open streams are capped per client address and in all: 503 FEED_FULL with Retry-After.",
      params: CodeParams,
      response: {
        200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...problems(400, 404, 503),
      },
    },
    handler: async (request, reply) => {
      const day = await patients.dayOf(request.params.code);
      const latest = await desk.latestSeq();
      if (fanout.full(request.ip) !== null) {
        reply.header('retry-after', String(FULL_RETRY_AFTER_S));
        return sendProblem(request, reply, problem('FEED_FULL', `Too many live pages are open; try again in ${FULL_RETRY_AFTER_S} s.`));
      }
      fanout.start(request, reply, {
        from: latest,
        keys: [dayKey(day.doctorId, day.date)],
        headers: { 'cache-control': 'no-store, no-transform', 'referrer-policy': 'no-referrer' },
        preamble: `retry: 3000\n: live\n\n`,
      });
    },
  });
};
