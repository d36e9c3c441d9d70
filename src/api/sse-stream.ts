// The life of a server-sent-events stream, shared by the live feed (GET /api/events) and the patient
// page's stream (GET /api/patient/<code>/events): the caps on open streams, the headers, where a
// stream starts (its resume position), the heartbeat, slow clients, the recheck of a board's
// credential, and the end (the client goes away, or the app closes).
//
// What an open stream costs: one SseFanout per route reads the log once per wake-up for all of its
// streams (they are mostly served from the FeedHub's memory) and hands each page out by key (a
// doctor for the feed, a doctor-day for the patient page): a page is grouped by key once, each group
// is rendered once into one SSE chunk, and only the streams listening to that key are touched, each
// with one write. What is committed within `batchMs` of a page goes out with the next one, so the
// writes per stream are bounded per second. One timer per fanout sends the heartbeats and asks for
// the rechecks due.
//
// A stream that starts behind the fanout (Last-Event-ID, ?after=) first catches up on its own, page
// by page, then joins. A slow client (its socket's buffer full) leaves the fanout until the socket
// drains, and then catches up from where it was, like a reconnecting client: nothing is skipped and
// nothing is buffered without bound.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FeedEvent } from '../service/types.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import type { FeedLimits } from './limits.ts';

/** What a fanout reads: the desk's feed. */
export interface FeedSource {
  eventsAfter(seq: number, limit: number): Promise<FeedEvent[]>;
  waitForEvents(seq: number, ms: number): Promise<void>;
}

/** The keys a stream listens to ('all': every event). */
export type Keys = 'all' | readonly string[];

/** A board's credential asked again: its keys now, or null once it no longer opens the stream. */
export type Rechecker = () => Promise<Keys | null>;

export interface FanoutOptions {
  /** A comment line after this long without writing. */
  heartbeatMs: number;
  /** How long one wait for new events lasts, and how soon to look again while the database is away. */
  pollMs: number;
  /** How often a stream with a recheck asks again who its client is. */
  recheckMs: number;
  /**
   * After handing out a page, wait this long before reading the next: what is committed meanwhile
   * goes out together, one write per stream, so that the writes to the sockets (the cost of a
   * stream) are bounded by streams × 1000 / batchMs a second, however fast bookings come. An event
   * after a quiet spell goes out at once. 0: read again at once.
   */
  batchMs: number;
  limits: FeedLimits;
  /** The key an event is handed out by. */
  keyOf(e: FeedEvent): string;
  /** The chunk written for some events of one stream (in order, none it has had); '' for nothing. */
  render(events: readonly FeedEvent[]): string;
  /** What is logged when a stream fails. */
  failure: string;
}

export interface OpenOptions {
  /** After this sequence number. */
  from: number;
  keys: Keys;
  /** Response headers besides the content type. */
  headers: Record<string, string>;
  /** Written first (it flushes the headers). */
  preamble: string;
  recheck?: Rechecker;
}

const PAGE = 500;
/** How soon a stream behind the fanout looks again when its read came back empty. */
const GAP_RETRY_MS = 250;
export const REVOKED_FRAME = 'event: revoked\ndata: {}\n\n';

class Stream {
  /** The last event this stream has had, while it is not in the fanout (a member's is the fanout's head). */
  last: number;
  /** Events up to this one are skipped: a stream joins at or past the fanout's head. */
  skipUntil = 0;
  keys: Keys;
  member = false;
  draining = false;
  ended = false;
  checking = false;
  lastWrite: number;
  checkedAt: number;
  /** The stream's own reading (catching up, waiting for a drain, a recheck) while one runs. */
  task: Promise<void> = Promise.resolve();

  constructor(
    readonly res: FastifyReply['raw'],
    readonly request: FastifyRequest,
    readonly client: string,
    opts: OpenOptions,
    now: number,
  ) {
    this.last = opts.from;
    this.keys = opts.keys;
    this.lastWrite = now;
    this.checkedAt = now;
    this.recheck = opts.recheck;
  }

  readonly recheck: Rechecker | undefined;
}

export class SseFanout {
  private readonly open = new Set<Stream>();
  private readonly perClient = new Map<string, number>();
  /** Members listening to every event, and by key. */
  private readonly everything = new Set<Stream>();
  private readonly byKey = new Map<string, Set<Stream>>();
  private members = 0;
  /** The last event handed out (null while no stream is a member and nothing is read). */
  private head: number | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private wakeClosed: () => void = () => {};
  private readonly closedSignal = new Promise<void>((resolve) => (this.wakeClosed = resolve));
  private timer: NodeJS.Timeout | undefined;
  /** Date.now() as of the last tick or page: writes are stamped with it, not each with its own. */
  private now = Date.now();
  /** Pages handed out so far (for tests and measurements). */
  pages = 0;

  constructor(
    private readonly source: FeedSource,
    private readonly opts: FanoutOptions,
  ) {}

  /** Why one more stream from `client` is refused (the server's cap or the address's), or null. */
  full(client: string): string | null {
    const { maxTotal, maxPerClient } = this.opts.limits;
    if (this.open.size >= maxTotal) return `the server's ${maxTotal}`;
    if ((this.perClient.get(client) ?? 0) >= maxPerClient) return `${maxPerClient} from one address`;
    return null;
  }

  /** Takes the response over and starts the stream; call right after full() answered null, without awaiting between. */
  start(request: FastifyRequest, reply: FastifyReply, opts: OpenOptions): void {
    const client = request.ip;
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    const res = reply.raw;
    reply.hijack();
    // The headers set on the reply before (the security headers) go out with the stream's own.
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...opts.headers,
      'x-request-id': String(request.id),
    });
    const s = new Stream(res, request, client, opts, Date.now());
    this.open.add(s);
    res.on('close', () => this.end(s));
    this.ticking();
    this.write(s, opts.preamble);
    this.resume(s);
  }

  /** Ends every stream and stops reading; resolves once nothing reads the desk any more. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeClosed();
    const streams = [...this.open];
    for (const s of streams) this.end(s);
    await Promise.all([this.running, ...streams.map((s) => s.task)]);
  }

  private end(s: Stream): void {
    if (s.ended) return;
    s.ended = true;
    this.leave(s);
    this.open.delete(s);
    const left = (this.perClient.get(s.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(s.client, left);
    else this.perClient.delete(s.client);
    if (this.open.size === 0) this.stopTicking();
    if (!s.res.writableEnded) s.res.end();
  }

  /** Writes a chunk; a full socket buffer takes the stream out of the fanout until it drains. */
  private write(s: Stream, chunk: string): void {
    s.lastWrite = this.now;
    if (s.res.write(chunk) || s.ended) return;
    if (s.member) s.last = this.head!;
    this.leave(s);
    s.draining = true;
    s.res.once('drain', () => {
      s.draining = false;
      this.resume(s);
    });
  }

  /** Catches up on its own from its position, then joins the fanout. */
  private resume(s: Stream): void {
    s.task = this.catchUp(s).catch((err: unknown) => this.fail(s, err));
  }

  private async catchUp(s: Stream): Promise<void> {
    while (!s.ended && !s.draining) {
      if (this.head === null || s.last >= this.head) return this.join(s);
      let page: FeedEvent[];
      try {
        page = await this.source.eventsAfter(s.last, PAGE);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        await this.pause(this.opts.pollMs);
        continue;
      }
      if (s.ended) return;
      if (page.length === 0) {
        // Behind the fanout, yet nothing to read: events held back behind a gap that has not settled
        // for this read. Joining now would skip them; look again shortly.
        await this.pause(GAP_RETRY_MS);
        continue;
      }
      const mine = page.filter((e) => this.listens(s, e));
      s.last = page.at(-1)!.seq;
      if (mine.length > 0) this.write(s, this.opts.render(mine));
    }
  }

  private join(s: Stream): void {
    if (s.ended || s.draining || s.member || this.closed) return;
    s.member = true;
    s.skipUntil = s.last;
    this.members++;
    if (s.keys === 'all') this.everything.add(s);
    else {
      for (const key of s.keys) {
        let set = this.byKey.get(key);
        if (!set) this.byKey.set(key, (set = new Set()));
        set.add(s);
      }
    }
    if (this.running === null) {
      this.head = s.last;
      this.running = this.run().finally(() => {
        this.running = null;
        this.head = null;
      });
    }
  }

  private leave(s: Stream): void {
    if (!s.member) return;
    s.member = false;
    this.members--;
    if (s.keys === 'all') this.everything.delete(s);
    else {
      for (const key of s.keys) {
        const set = this.byKey.get(key);
        set?.delete(s);
        if (set?.size === 0) this.byKey.delete(key);
      }
    }
  }

  private listens(s: Stream, e: FeedEvent): boolean {
    return s.keys === 'all' || s.keys.includes(this.opts.keyOf(e));
  }

  /** The one read of the log for every member. */
  private async run(): Promise<void> {
    while (!this.closed && this.members > 0) {
      let page: FeedEvent[];
      try {
        page = await this.source.eventsAfter(this.head!, PAGE);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) {
          // Every member fails as its own loop failed before: logged, ended; its browser reconnects.
          for (const s of [...this.open]) if (s.member) this.fail(s, err);
          return;
        }
        await this.pause(this.opts.pollMs);
        continue;
      }
      if (page.length > 0) {
        this.handOut(page);
        if (this.opts.batchMs > 0) await this.pause(this.opts.batchMs);
      }
      if (page.length === PAGE) continue;
      await Promise.race([this.source.waitForEvents(this.head!, this.opts.pollMs), this.closedSignal]);
    }
  }

  /** A page to the members listening: grouped by key once, each group rendered once. */
  private handOut(page: FeedEvent[]): void {
    this.pages++;
    this.now = Date.now();
    const first = page[0]!.seq;
    this.head = page.at(-1)!.seq;
    const groups = new Map<string, FeedEvent[]>();
    for (const e of page) {
      const key = this.opts.keyOf(e);
      if (!this.byKey.has(key)) continue;
      const group = groups.get(key);
      if (group) group.push(e);
      else groups.set(key, [e]);
    }
    const several = new Set<Stream>();
    for (const [key, events] of groups) {
      let chunk: string | undefined;
      for (const s of this.byKey.get(key)!) {
        if (s.keys.length > 1) several.add(s);
        else if (s.skipUntil >= first) this.late(s, events);
        else this.write(s, (chunk ??= this.opts.render(events)));
      }
    }
    // A stream of several keys gets their events in order, in one chunk.
    for (const s of several) if (s.member) this.late(s, page.filter((e) => this.listens(s, e)));
    if (this.everything.size > 0) {
      let chunk: string | undefined;
      for (const s of this.everything) {
        if (s.skipUntil >= first) this.late(s, page);
        else this.write(s, (chunk ??= this.opts.render(page)));
      }
    }
  }

  /** A stream that joined inside this page: only what it has not had. */
  private late(s: Stream, events: readonly FeedEvent[]): void {
    const rest = events.filter((e) => e.seq > s.skipUntil);
    if (rest.length > 0) this.write(s, this.opts.render(rest));
  }

  private fail(s: Stream, err: unknown): void {
    if (!s.ended && !this.closed) s.request.log.error({ err }, this.opts.failure);
    this.end(s);
  }

  private pause(ms: number): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), this.closedSignal]);
  }

  private ticking(): void {
    if (this.timer !== undefined) return;
    const ms = Math.max(10, Math.min(this.opts.heartbeatMs, this.opts.recheckMs, 1_000) / 2);
    this.timer = setInterval(() => this.tick(), ms);
    this.timer.unref();
  }

  private stopTicking(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Heartbeats to the streams that wrote nothing for heartbeatMs; rechecks to those due. */
  private tick(): void {
    this.now = Date.now();
    for (const s of this.open) {
      if (s.draining) continue;
      if (this.now - s.lastWrite >= this.opts.heartbeatMs) this.write(s, ': heartbeat\n\n');
      if (s.recheck && !s.checking && this.now - s.checkedAt >= this.opts.recheckMs) {
        s.checking = true;
        s.checkedAt = this.now;
        void this.recheck(s, s.recheck).finally(() => (s.checking = false));
      }
    }
  }

  private async recheck(s: Stream, recheck: Rechecker): Promise<void> {
    let keys: Keys | null;
    try {
      keys = await recheck();
    } catch (err) {
      // The database is away: keep the stream (it waits for the log anyway) and ask again later.
      if (!(err instanceof StoreUnavailableError)) this.fail(s, err);
      return;
    }
    if (s.ended) return;
    if (keys === null || (keys !== 'all' && keys.length === 0)) {
      this.write(s, REVOKED_FRAME);
      this.end(s);
      return;
    }
    if (sameKeys(keys, s.keys)) return;
    if (s.member) {
      s.last = this.head!;
      this.leave(s);
      s.keys = keys;
      this.join(s);
    } else s.keys = keys;
  }
}

function sameKeys(a: Keys, b: Keys): boolean {
  if (a === 'all' || b === 'all') return a === b;
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
