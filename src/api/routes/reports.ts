// GET /api/reports and GET /api/reports/what-if: the administrator's reports of the real days and the
// what-if of a past day under other rules, computed from the event log (src/service/desk-reports.ts).
// Administrators only (action readReports). Never a patient's name, phone or id: token numbers only.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokenDesk } from '../../service/types.ts';
import { Report, ReportQuery, WhatIf, WhatIfQuery } from '../report-schemas.ts';
import { problems } from '../schemas.ts';

export const reportRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  app.get('/api/reports', {
    schema: {
      tags: ['reports'],
      summary: 'Tokens, waits, overtime and seats of a day or a range of days',
      operationId: 'getReport',
      description:
        'For the doctor-days from `from` to `to`: per doctor, per department and for the whole hospital, tokens by source and outcome, patients seen, no-show and cancellation rates, waits from check-in to call (median, 90th percentile, longest) by source, overtime, seats offered and used, and how many tokens were bumped, moved or promoted; per doctor-day the first call, the last patient and the overtime; per department and slot hours the seats used. Computed from the event log. Administrators only.',
      querystring: ReportQuery,
      response: { 200: Report, ...problems(400) },
    },
    handler: async (request) => {
      const { from, to = from } = request.query;
      return desk.report(from, to);
    },
  });

  app.get('/api/reports/what-if', {
    schema: {
      tags: ['reports'],
      summary: 'A past day replayed under other rules, beside what happened',
      operationId: 'getWhatIf',
      description:
        "The day's arrivals, check-ins, cancellations, calls and delays are taken from the event log; the engine decides seats, bumps, the waitlist and the order of calls again under the preemption rule given. Answers both reports and, per doctor, the tokens (by number) whose outcome would have changed. Administrators only.",
      querystring: WhatIfQuery,
      response: { 200: WhatIf, ...problems(400, 404) },
    },
    handler: async (request) => {
      const { date, policy, doctors } = request.query;
      return desk.whatIf(date, { preemption: policy }, doctors?.split(','));
    },
  });
};
