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
import type { TokenDesk } from '../../service/types.ts';
import { StoreUnavailableError } from '../../store/errors.ts';
import { FEED_DEFAULTS, type FeedLimits } from '../limits.ts';
import { CodeParams, PatientPage } from '../patient-schemas.ts';
import { problem, sendProblem } from '../problem.ts';
import { problems } from '../schemas.ts';

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

const PAGE = 500;
const FULL_RETRY_AFTER_S = 10;

function secretAddress(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
}

export const patientRoutes: FastifyPluginAsyncZod<PatientRouteOptions> = async (app, opts) => {
  const { desk, patients } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const pollMs = opts.pollMs ?? 1_000;
  const { maxPerClient, maxTotal } = { ...FEED_DEFAULTS, ...opts.limits };
  const streams = new Set<{ stop: () => void; done: Promise<void> }>();
  const perClient = new Map<string, number>();
  const tags = ['patient'];

  app.addHook('preClose', async () => {
    const open = [...streams];
    for (const s of open) s.stop();
    await Promise.all(open.map((s) => s.done));
  });

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
      const client = request.ip;
      const fromClient = perClient.get(client) ?? 0;
      if (streams.size >= maxTotal || fromClient >= maxPerClient) {
        reply.header('retry-after', String(FULL_RETRY_AFTER_S));
        return sendProblem(request, reply, problem('FEED_FULL', `Too many live pages are open; try again in ${FULL_RETRY_AFTER_S} s.`));
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
        'cache-control': 'no-store, no-transform',
        'referrer-policy': 'no-referrer',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      res.on('close', stop);
      let lastWrite = Date.now();
      const write = async (text: string) => {
        lastWrite = Date.now();
        if (!res.write(text)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), stoppedSignal]);
      };

      const loop = async () => {
        let last = latest;
        await write(`retry: 3000\n: live\n\n`);
        while (!stopped) {
          let page;
          try {
            page = await desk.eventsAfter(last, PAGE);
          } catch (err) {
            if (!(err instanceof StoreUnavailableError)) throw err;
            await Promise.race([new Promise((resolve) => setTimeout(resolve, pollMs)), stoppedSignal]);
            continue;
          }
          // One "changed" per page read is enough: the page reads its whole answer again.
          let changed: number | null = null;
          for (const e of page) {
            if (e.doctorId === day.doctorId && e.date === day.date) changed = e.seq;
            last = e.seq;
          }
          if (changed !== null && !stopped) await write(`id: ${changed}\nevent: changed\ndata: {"seq":${changed}}\n\n`);
          if (stopped || page.length === PAGE) continue;
          await Promise.race([desk.waitForEvents(last, pollMs), stoppedSignal]);
          if (!stopped && Date.now() - lastWrite >= heartbeatMs) await write(`: heartbeat\n\n`);
        }
      };
      const entry = {
        stop,
        done: loop()
          .catch((err: unknown) => {
            if (!stopped) request.log.error({ err }, 'patient page stream failed');
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
