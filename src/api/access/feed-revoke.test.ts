// A waiting-room board's live feed ends once its display link is revoked (SPEC 11: within 30 s; the
// feed asks again every recheckMs, shortened here), and then the board's requests are 401. Also:
// every token in an answer is redacted for a caller who may not see its personal data.

import type { FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../access/types.ts';
import { call, harness, patient, seedDay, type Harness } from '../../../test/kits/api/test-kit.ts';
import { shapeTokens } from '../public-urls.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a revoked display link', () => {
  it('ends its open feed at the next check, and its board and feed answer 401 afterwards', async () => {
    h = await harness({ feed: { heartbeatMs: 100, pollMs: 50, recheckMs: 300 } });
    const day = await seedDay(h.sut);
    const { link, secret } = await h.access.createDisplayLink({ name: 'Lobby', doctorIds: [day.doctor.id] });
    const headers = { cookie: `opd_display=${secret}` };
    const base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${base}/api/events`, { headers });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    expect((await call(h.sut, 'GET', '/api/board', undefined, headers)).status).toBe(200);

    const revokedAt = Date.now();
    await h.access.revokeDisplayLink(link.id);
    let text = '';
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    // Ended by the server (the loop above only stops when it does), within a check or two.
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    expect(text).toContain('event: revoked');
    expect((await call(h.sut, 'GET', '/api/board', undefined, headers)).status).toBe(401);
    expect((await fetch(`${base}/api/events`, { headers })).status).toBe(401);
  });

  it('a live feed shows only the events of its own doctors', async () => {
    h = await harness();
    const mine = await seedDay(h.sut, 'GM');
    const other = await seedDay(h.sut, 'OR');
    await call(h.sut, 'POST', '/api/tokens', { doctorId: other.doctor.id, source: 'WALKIN', patient: patient() });
    const last = await call(h.sut, 'POST', '/api/tokens', { doctorId: mine.doctor.id, source: 'WALKIN', patient: patient() });
    const display = await h.as('display', [mine.doctor.id]);
    const base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
    const abort = new AbortController();
    const res = await fetch(`${base}/api/events?after=0`, { headers: display.headers, signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes(last.body.id)) text += decoder.decode((await reader.read()).value);
    abort.abort();
    const doctors = [...text.matchAll(/"doctorId":"([^"]+)"/g)].map((m) => m[1]);
    expect(doctors.length).toBeGreaterThan(2);
    expect(new Set(doctors)).toEqual(new Set([mine.doctor.id]));
  });
});

describe('redaction of answers', () => {
  const token = (doctorId: string) => ({ id: `t-${doctorId}`, doctorId, number: 'GM-001', patient: { name: 'Lakshmi', phone: '+91 98450 00000' } });
  const request = (actor: Actor) => ({ actor, url: '/api/board' }) as unknown as FastifyRequest;
  const redactAnswer = (req: FastifyRequest, _reply: undefined, payload: unknown) => shapeTokens(req, payload, { publicUrl: (id) => `/t/${id}` });

  it('drops patient from every token, at any depth, for an identity without readTokenPersonal on its doctor', async () => {
    const board: Actor = { kind: 'display', id: 'd', name: 'Lobby', role: 'display', doctorIds: ['doc-a'] };
    const payload = { slots: [{ tokens: [token('doc-a')] }], waitlist: [token('doc-b')], ...token('doc-a'), bumped: token('doc-a') };
    const seen = JSON.stringify(await redactAnswer(request(board), undefined, payload));
    expect(seen).not.toMatch(/Lakshmi|98450/);
    expect(seen).toContain('GM-001');
  });

  it('keeps it for the doctor the token belongs to, and for the desk', async () => {
    const doctor: Actor = { kind: 'account', id: 'm', name: 'Dr Mehta', role: 'doctor', doctorIds: ['doc-a'] };
    const seen = (await redactAnswer(request(doctor), undefined, { tokens: [token('doc-a'), token('doc-b')] })) as { tokens: { patient?: unknown }[] };
    expect(seen.tokens[0]!.patient).toEqual({ name: 'Lakshmi', phone: '+91 98450 00000' });
    expect(seen.tokens[1]).not.toHaveProperty('patient');
    const desk: Actor = { kind: 'account', id: 'a', name: 'Anita', role: 'desk', doctorIds: 'all' };
    const payload = { tokens: [token('doc-b')] };
    expect(await redactAnswer(request(desk), undefined, payload)).toBe(payload);
  });
});
