// The shared stream life (sse-stream.ts) against a log in memory and fake sockets: over random
// sequences of events, streams opened at random positions with random doctors, and slow clients
// whose buffers fill and drain, every stream gets exactly the events of its doctors after its start,
// in order, each once. And the cost: a page is rendered once per doctor, whatever the number of
// streams, and a stream of another doctor is not written to.

import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../service/types.ts';
import { SseFanout, type FanoutOptions, type FeedSource, type Keys } from './sse-stream.ts';

const DOCTORS = ['a', 'b', 'c', 'd'];

/** The log: eventsAfter pages it, waitForEvents resolves on the next append (or never, for a test). */
class Log implements FeedSource {
  events: FeedEvent[] = [];
  private waiters: (() => void)[] = [];
  reads = 0;

  append(doctorId: string): void {
    const seq = this.events.length + 1;
    this.events.push({ seq, doctorId, date: '2026-03-10', type: 'TokenIssued', at: '2026-03-10T04:00:00.000Z' });
    for (const w of this.waiters.splice(0)) w();
  }

  async eventsAfter(seq: number, limit: number): Promise<FeedEvent[]> {
    this.reads++;
    return this.events.filter((e) => e.seq > seq).slice(0, limit);
  }

  waitForEvents(seq: number): Promise<void> {
    if (this.events.length > seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** A socket's response: records what is written; `full` makes the next write report a full buffer. */
class FakeResponse extends EventEmitter {
  text = '';
  writes = 0;
  full = false;
  writableEnded = false;

  writeHead(): void {}

  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return !this.full;
  }

  end(): void {
    this.writableEnded = true;
  }

  drain(): void {
    this.full = false;
    this.emit('drain');
  }

  /** The sequence numbers received, in order (the test's render writes `<seq> `). */
  seqs(): number[] {
    return [...this.text.matchAll(/#(\d+) /g)].map((m) => Number(m[1]));
  }
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

function fanout(log: Log, over: Partial<FanoutOptions> = {}): { fan: SseFanout; renders: () => number } {
  let renders = 0;
  const fan = new SseFanout(log, {
    heartbeatMs: 3_600_000,
    pollMs: 3_600_000,
    recheckMs: 3_600_000,
    batchMs: 0,
    limits: { maxPerClient: 10_000, maxTotal: 10_000 },
    keyOf: (e) => e.doctorId,
    render: (events) => {
      renders++;
      return events.map((e) => `#${e.seq} `).join('');
    },
    failure: 'test stream failed',
    ...over,
  });
  return { fan, renders: () => renders };
}

function open(fan: SseFanout, from: number, keys: Keys): FakeResponse {
  const res = new FakeResponse();
  const request = { ip: '127.0.0.1', id: 'r', log: { error: () => {} } } as unknown as FastifyRequest;
  const reply = { raw: res, hijack: () => {}, getHeaders: () => ({}) } as unknown as FastifyReply;
  fan.start(request, reply, { from, keys, headers: {}, preamble: ': hello\n\n' });
  return res;
}

type Step =
  | { kind: 'append'; doctor: number; count: number }
  | { kind: 'open'; back: number; keys: number[] | 'all' }
  | { kind: 'fill'; stream: number }
  | { kind: 'drain'; stream: number }
  | { kind: 'settle' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), doctor: fc.nat(DOCTORS.length - 1), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('open' as const),
    back: fc.nat(60),
    keys: fc.oneof(fc.constant('all' as const), fc.uniqueArray(fc.nat(DOCTORS.length - 1), { minLength: 1, maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant('fill' as const), stream: fc.nat(20) }),
  fc.record({ kind: fc.constant('drain' as const), stream: fc.nat(20) }),
  fc.constant({ kind: 'settle' as const }),
);

describe('SseFanout', () => {
  it('every stream gets exactly its doctors’ events after its start, in order, once — slow clients included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const log = new Log();
        const { fan } = fanout(log);
        const streams: { res: FakeResponse; from: number; keys: Keys }[] = [];
        for (const s of steps) {
          if (s.kind === 'append') for (let i = 0; i < s.count; i++) log.append(DOCTORS[s.doctor]!);
          else if (s.kind === 'open') {
            const from = Math.max(0, log.events.length - s.back);
            const keys = s.keys === 'all' ? 'all' : s.keys.map((d) => DOCTORS[d]!);
            streams.push({ res: open(fan, from, keys), from, keys });
          } else if (s.kind === 'fill' && streams.length > 0) streams[s.stream % streams.length]!.res.full = true;
          else if (s.kind === 'drain' && streams.length > 0) streams[s.stream % streams.length]!.res.drain();
          else if (s.kind === 'settle') await settle();
        }
        for (const s of streams) s.res.drain();
        await settle();
        for (const s of streams) {
          const expected = log.events.filter((e) => e.seq > s.from && (s.keys === 'all' || s.keys.includes(e.doctorId))).map((e) => e.seq);
          expect(s.res.seqs()).toEqual(expected);
        }
        await fan.close();
        for (const s of streams) expect(s.res.writableEnded).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('renders a page once per doctor whatever the number of streams, and writes only to the streams of that doctor', async () => {
    const log = new Log();
    const { fan, renders } = fanout(log);
    const ofA = Array.from({ length: 500 }, () => open(fan, 0, ['a']));
    const ofB = Array.from({ length: 500 }, () => open(fan, 0, ['b']));
    await settle();
    const before = renders();
    log.append('a');
    log.append('a');
    await settle();
    expect(renders() - before).toBe(1);
    for (const res of ofA) expect(res.seqs()).toEqual([1, 2]);
    // One write each for the page: the preamble, then one chunk.
    for (const res of ofA) expect(res.writes).toBe(2);
    for (const res of ofB) expect(res.writes).toBe(1);
    // All of them shared one read of the log per page, not one each.
    expect(log.reads).toBeLessThan(10);
    await fan.close();
  });

  it('sends what is committed within batchMs of a page in one write, and the first event after a quiet spell at once', async () => {
    const log = new Log();
    const { fan } = fanout(log, { batchMs: 300 });
    const board = open(fan, 0, ['a']);
    await settle();
    log.append('a');
    await settle();
    expect(board.seqs()).toEqual([1]);
    for (let i = 0; i < 5; i++) {
      log.append('a');
      await settle();
    }
    expect(board.seqs()).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(board.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    // The preamble, the first event, the five together.
    expect(board.writes).toBe(3);
    await fan.close();
  });

  it('refuses past its caps, per address and in all, and counts a closed stream out', async () => {
    const log = new Log();
    const { fan } = fanout(log, { limits: { maxPerClient: 2, maxTotal: 3 } });
    const first = open(fan, 0, ['a']);
    open(fan, 0, ['a']);
    expect(fan.full('127.0.0.1')).toMatch(/2 from one address/);
    expect(fan.full('10.0.0.9')).toBeNull();
    first.emit('close');
    expect(fan.full('127.0.0.1')).toBeNull();
    await fan.close();
  });

  it('writes a heartbeat to an idle stream', async () => {
    const log = new Log();
    const { fan } = fanout(log, { heartbeatMs: 40 });
    const idle = open(fan, 0, ['a']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(idle.text).toContain(': heartbeat\n\n');
    await fan.close();
  });
});
