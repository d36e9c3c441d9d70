// Tokens: issue, read, history, and the lifecycle actions of SPEC 7.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TokenAction, TokenDesk } from '../../service/types.ts';
import { contextOf } from '../context.ts';
import { EmptyBody, HistoryEvent, IdempotencyHeaders, IdParams, IssuedToken, IssueTokenBody, problems, SEARCH_ACTIONS, SearchQuery, SearchResults, Token, TransferTokenBody } from '../schemas.ts';
import { may, type Action } from '../../access/roles.ts';
import type { TokenStatus } from '../../engine/index.ts';
import { scopeOf } from '../access/authorize.ts';

/** What a search result offers: the action, the role's action it needs, the statuses it is allowed from (SPEC 7). */
const OFFERS: Record<(typeof SEARCH_ACTIONS)[number], { needs: Action; from: readonly TokenStatus[] }> = {
  checkIn: { needs: 'checkIn', from: ['ALLOCATED'] },
  cancel: { needs: 'cancelToken', from: ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'] },
  noShow: { needs: 'markNoShow', from: ['ALLOCATED', 'CHECKED_IN', 'CALLED'] },
  transfer: { needs: 'transferToken', from: ['WAITLISTED', 'ALLOCATED', 'CHECKED_IN'] },
};

/** Each lifecycle action: what it does, and the operationId that generated clients name it by. */
const ACTIONS: Record<TokenAction, { description: string; operationId: string }> = {
  cancel: { operationId: 'cancelToken', description: 'Cancel (from WAITLISTED, ALLOCATED or CHECKED_IN); the seat goes to the waitlist.' },
  'no-show': { operationId: 'markTokenNoShow', description: 'Mark as not come (from ALLOCATED, CHECKED_IN or CALLED).' },
  'check-in': { operationId: 'checkInToken', description: 'The patient has arrived (from ALLOCATED).' },
  complete: { operationId: 'completeToken', description: 'The consultation is over (from CALLED).' },
  skip: {
    operationId: 'skipToken',
    description: 'Called but not there: back to CHECKED_IN behind every token of its slot checked in at that moment (they are called first), `skips` + 1; beyond maxSkips NO_SHOW.',
  },
};

export const tokenRoutes: FastifyPluginAsyncZod<{ desk: TokenDesk }> = async (app, { desk }) => {
  const tags = ['tokens'];

  app.post('/api/tokens', {
    schema: {
      tags,
      summary: 'Issue a token', operationId: 'issueToken',
      description:
        'Seats the patient in the requested slot, else the earliest that fits, preempting a lower-ranked booking when the policy allows; else waitlists. `bumped` is the token displaced, if any. With `arrived: true` the token is checked in as soon as it holds a seat. A phone is stored as E.164 (any common writing is the same phone; an invalid one is 400). 409: DUPLICATE_TOKEN (the patient, by id or phone, already holds a live token that day), SLOT_ENDED (the named slot has ended), NO_OPEN_SLOT (the doctor has no slot left that day), IDEMPOTENCY_KEY_REUSED.',
      headers: IdempotencyHeaders,
      body: IssueTokenBody,
      response: { 201: IssuedToken, ...problems(400, 404, 409) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return desk.issueToken(request.body, contextOf(request));
    },
  });

  app.get('/api/tokens', {
    schema: {
      tags,
      summary: 'Search tokens by number, patient name, phone or patient id', operationId: 'searchTokens',
      description:
        "`q` is read every way it can mean something: a token number (`GM-007`, `gm7`, `gm 7`), the start of any word of the patient's name (case and accents aside), a phone in any common writing, or a patient id (case aside). Searches `date` (default today) and the `days - 1` days before it (default 7 days), every doctor the caller may see. At most 50 results: exact token numbers first, then newer dates, then issue time; each with the actions its status allows and the caller may do.",
      querystring: SearchQuery,
      response: { 200: SearchResults, ...problems(400) },
    },
    handler: async (request) => {
      const actor = request.actor!;
      const found = await desk.searchTokens(request.query, scopeOf(request, 'searchTokens'));
      return {
        results: found.map((f) => ({
          ...f,
          actions: SEARCH_ACTIONS.filter((a) => OFFERS[a].from.includes(f.token.status) && may(actor, OFFERS[a].needs, f.token.doctorId)),
        })),
      };
    },
  });

  app.get('/api/tokens/:id', {
    schema: { tags, summary: 'Read a token', operationId: 'getToken', params: IdParams, response: { 200: Token, ...problems(400, 404) } },
    handler: async (request) => desk.getToken(request.params.id),
  });

  app.get('/api/tokens/:id/events', {
    schema: {
      tags,
      summary: "A token's history: every event that names it, in order, with the reason and who caused it", operationId: 'getTokenHistory',
      description: 'Each event carries `actor` {kind, name, role}: the person, API key or display link whose request caused it, or `system` for the clock. The live feed never carries one.',
      params: IdParams,
      response: { 200: z.array(HistoryEvent), ...problems(400, 404) },
    },
    handler: async (request) => desk.tokenHistory(request.params.id),
  });

  app.post('/api/tokens/:id/transfer', {
    schema: {
      tags,
      summary: 'Transfer a token to another doctor or day', operationId: 'transferToken',
      description:
        'A WAITLISTED, ALLOCATED or CHECKED_IN token moves: a new token is issued with the named doctor by the issuing rules (same source and patient; checked in at once when the patient had arrived), then the old token is CANCELLED with reason `transferred`. The new token names the old in `transferredFrom`, the old names the new in `transferredTo`; both histories show it. If the new doctor-day refuses, nothing changes on either day. 400: the same doctor on the same day. 409: INVALID_TRANSITION (the token was called, seen, cancelled, not come or expired), DUPLICATE_TOKEN (the patient already holds a live token there), SLOT_ENDED, NO_OPEN_SLOT, IDEMPOTENCY_KEY_REUSED.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: TransferTokenBody,
      response: { 201: Token.describe('The new token.'), ...problems(400, 404, 409) },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return desk.transferToken(request.params.id, request.body, contextOf(request));
    },
  });

  for (const [action, { description, operationId }] of Object.entries(ACTIONS) as [TokenAction, (typeof ACTIONS)[TokenAction]][]) {
    app.post(`/api/tokens/:id/${action}`, {
      schema: {
        tags,
        summary: `${action} a token`,
        operationId,
        description,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: EmptyBody,
        response: { 200: Token, ...problems(400, 404, 409) },
      },
      handler: async (request) => desk.act(request.params.id, action, contextOf(request)),
    });
  }
};
