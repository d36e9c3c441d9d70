// The live feed over a real socket: events in order, resumable with Last-Event-ID or ?after=, starting
// at "now" by default, heartbeats when idle, no patient names or phones, and a clean end on close.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sseFrame } from './routes/events.ts';
import { call, harness, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** An open SSE connection read frame by frame; everything is bounded by `ms`. */
class Feed {
  private readonly abort = new AbortController();
  private buffer = '';
  private readonly frames: Frame[] = [];
  raw = '';
  ended = false;
  private reader!: ReadableStreamDefaultReader<Uint8Array>;
  status = 0;
  contentType = '';

  static async open(url: string, headers: Record<string, string> = {}): Promise<Feed> {
    const feed = new Feed();
    // As the harness's admin unless the test names other credentials.
    const res = await fetch(url, { headers: { ...h.adminHeaders, ...headers }, signal: feed.abort.signal });
    feed.status = res.status;
    feed.contentType = res.headers.get('content-type') ?? '';
    feed.reader = res.body!.getReader();
    return feed;
  }

  /** Frames until `until` holds for the ones read so far, or fails after `ms`. */
  async read(until: (frames: Frame[]) => boolean, ms = 5_000): Promise<Frame[]> {
    const deadline = Date.now() + ms;
    const decoder = new TextDecoder();
    while (!until(this.frames)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) throw new Error(`feed: gave up with ${JSON.stringify(this.frames)}`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      if (chunk.done) {
        this.ended = true;
        continue;
      }
      const text = decoder.decode(chunk.value, { stream: true });
      this.raw += text;
      this.buffer += text;
      let cut: number;
      while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, cut);
        this.buffer = this.buffer.slice(cut + 2);
        const frame: Frame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) frame.id = line.slice(4);
          else if (line.startsWith('event: ')) frame.event = line.slice(7);
          else if (line.startsWith('data: ')) frame.data = line.slice(6);
        }
        this.frames.push(frame);
      }
    }
    return this.frames;
  }

  events(): Frame[] {
    return this.frames.filter((f) => f.id !== undefined);
  }

  close(): void {
    this.abort.abort();
  }
}

let h: Harness;
let day: Day;
let base: string;
const feeds: Feed[] = [];
const open = async (path: string, headers?: Record<string, string>) => {
  const f = await Feed.open(`${base}${path}`, headers);
  feeds.push(f);
  return f;
};

beforeEach(async () => {
  h = await harness({ feed: { heartbeatMs: 200, pollMs: 100 } });
  day = await seedDay(h.sut);
  base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  for (const f of feeds.splice(0)) f.close();
  await h.close();
});

const issue = (name: string, phone: string) =>
  call(h.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name, phone, id: `${name}-id` } });

describe('GET /api/events', () => {
  it('streams every event in order from ?after=0, without patient names or phones', async () => {
    await issue('Lakshmi Narayanan', '+91 90000 11111');
    const all = await h.desk.eventsAfter(0, 1000);
    const feed = await open('/api/events?after=0');
    expect(feed.status).toBe(200);
    expect(feed.contentType).toMatch(/^text\/event-stream/);
    await feed.read(() => feed.events().length >= all.length);
    await issue('Farhan Qureshi', '+91 90000 22222');
    const total = (await h.desk.eventsAfter(0, 1000)).length;
    const frames = await feed.read(() => feed.events().length >= total);

    const seqs = feed.events().map((f) => Number(f.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBe(all[0]!.seq);
    for (const f of feed.events()) {
      const data = JSON.parse(f.data!);
      expect(f.event).toBe(data.type);
      expect(String(data.seq)).toBe(f.id);
    }
    expect(feed.events().map((f) => f.event)).toContain('TokenIssued');
    expect(frames[0]!.comment).toMatch(/feed after 0/);
    for (const secret of ['Lakshmi', 'Narayanan', 'Farhan', '90000', '11111', '22222']) expect(feed.raw).not.toContain(secret);
    // Nor who caused an event (the token history tells staff that; a waiting room never sees it).
    expect(feed.raw).not.toMatch(/"actor"|test admin/);
  });

  it('resumes after Last-Event-ID (and ?after=), without repeating or skipping', async () => {
    await issue('A One', '+91 90000 00001');
    await issue('B Two', '+91 90000 00002');
    const all = await h.desk.eventsAfter(0, 1000);
    const middle = all[Math.floor(all.length / 2)]!.seq;
    const expected = all.filter((e) => e.seq > middle).map((e) => String(e.seq));

    const resumed = await open('/api/events', { 'last-event-id': String(middle) });
    await resumed.read(() => resumed.events().length >= expected.length);
    expect(resumed.events().map((f) => f.id)).toEqual(expected);

    const byQuery = await open(`/api/events?after=${middle}`);
    await byQuery.read(() => byQuery.events().length >= expected.length);
    expect(byQuery.events().map((f) => f.id)).toEqual(expected);
  });

  it('starts at "now" without Last-Event-ID, and sends heartbeats while idle', async () => {
    await issue('Old News', '+91 90000 00003');
    const latest = (await h.desk.eventsAfter(0, 1000)).at(-1)!.seq;
    const feed = await open('/api/events');
    await feed.read((frames) => frames.some((f) => f.comment === 'heartbeat'));
    expect(feed.events()).toEqual([]);
    await issue('New Arrival', '+91 90000 00004');
    await feed.read(() => feed.events().length > 0);
    const next = (await h.desk.eventsAfter(latest, 1))[0]!;
    expect(Number(feed.events()[0]!.id)).toBe(next.seq);
  });

  it('ends open streams when the app closes', async () => {
    const feed = await open('/api/events?after=0');
    await feed.read((frames) => frames.length > 0);
    const closing = h.close();
    await feed.read(() => feed.ended, 3_000).catch(() => undefined);
    expect(feed.ended).toBe(true);
    await closing;
  });
});

describe('sseFrame', () => {
  it('writes one id/event/data block', () => {
    expect(sseFrame({ seq: 7, doctorId: 'd', date: '2026-03-10', type: 'TokenCalled', at: '2026-03-10T04:00:00.000Z', tokenId: 't' })).toBe(
      'id: 7\nevent: TokenCalled\ndata: {"seq":7,"doctorId":"d","date":"2026-03-10","type":"TokenCalled","at":"2026-03-10T04:00:00.000Z","tokenId":"t"}\n\n',
    );
  });
});
