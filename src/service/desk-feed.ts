// What the token desk reads from the event log: the live feed (never an actor, never a patient), a
// token's history (with who caused each event), and the audit of one actor's day.

import { StoreUnavailableError } from '../store/errors.ts';
import type { EventActor, StoredEvent } from '../store/store.ts';
import { localDayRange } from '../time/local-time.ts';
import type { DeskCore } from './desk-core.ts';
import { FeedHub } from './feed-reader.ts';
import { ServiceError, type AuditEvent, type FeedEvent, type HistoryActor, type HistoryEvent } from './types.ts';
import { feedEvent } from './views.ts';

/** The actor as a history shows it: what it is and what it is called, never its id. */
function historyActor(actor: EventActor | null): HistoryActor | null {
  return actor === null ? null : { kind: actor.kind, name: actor.name, role: actor.role };
}

export class FeedDesk {
  private readonly feedViews = new WeakMap<StoredEvent, FeedEvent>();

  constructor(
    private readonly core: DeskCore,
    private readonly feed: FeedHub,
    private readonly readyTimeoutMs: number,
  ) {}

  async eventsAfter(seq: number, limit: number): Promise<FeedEvent[]> {
    // The feeds of a wake-up share the same stored events: each is put in the feed's words once.
    return (await this.feed.after(seq, limit)).map((e) => {
      let view = this.feedViews.get(e);
      if (!view) this.feedViews.set(e, (view = feedEvent(e, this.core.tz)));
      return view;
    });
  }

  latestSeq(): Promise<number> {
    return this.core.store.latestSeq();
  }

  waitForEvents(seq: number, ms: number): Promise<void> {
    return this.feed.wait(seq, ms);
  }

  async tokenHistory(id: string): Promise<HistoryEvent[]> {
    await this.core.tokenDay(id);
    return (await this.core.store.tokenEvents(id)).map((e) => ({ ...feedEvent(e, this.core.tz), actor: historyActor(e.actor) }));
  }

  async audit(actorId: string, date: string): Promise<AuditEvent[]> {
    let range: [number, number];
    try {
      range = localDayRange(date, this.core.tz);
    } catch (err) {
      if (err instanceof RangeError) throw new ServiceError('VALIDATION_FAILED', err.message);
      throw err;
    }
    const events = await this.core.store.actorEvents(actorId, ...range);
    const out: AuditEvent[] = [];
    for (const e of events) {
      const doctor = await this.core.owner(e.doctorId);
      out.push({ ...feedEvent(e, this.core.tz), doctor: { id: doctor.id, name: doctor.name, code: doctor.code }, tokenNumber: e.tokenNumber });
    }
    return out;
  }

  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError('not-committed', { cause: new Error(`no answer within ${this.readyTimeoutMs} ms`) })), this.readyTimeoutMs);
    });
    try {
      await Promise.race([this.core.store.latestSeq(), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.feed.close();
  }
}
