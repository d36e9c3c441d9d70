// The coalescing of wake-ups (no database): every notify() is followed by a send that starts after
// it, and the calls made while one send is on its way share one more send.

import { describe, expect, it } from 'vitest';
import { Notifier } from './postgres-notifier.ts';

/** A send whose calls wait until the test settles them, one by one. */
function manualSend() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  return {
    send: () => {
      calls++;
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
    get calls() {
      return calls;
    },
    /** Settles the oldest call on its way, then lets the notifier react. */
    async settle(error?: Error) {
      const next = pending.shift();
      if (!next) throw new Error('no send on its way');
      if (error) next.reject(error);
      else next.resolve();
      await new Promise((r) => setTimeout(r, 0));
    },
    get waiting() {
      return pending.length;
    },
  };
}

describe('Notifier', () => {
  it('sends at once, and once more for all the commits made while a send was on its way', async () => {
    const s = manualSend();
    const n = new Notifier({ send: s.send });
    n.notify();
    expect(s.calls).toBe(1);
    n.notify();
    n.notify();
    n.notify();
    expect(s.calls).toBe(1); // coalesced while the first is on its way
    await s.settle();
    expect(s.calls).toBe(2); // one more, started after those three commits
    await s.settle();
    expect(s.calls).toBe(2);
    expect(s.waiting).toBe(0);
    n.notify();
    expect(s.calls).toBe(3); // idle again: a new commit sends at once
    await s.settle();
    await n.close();
  });

  it('reports a failed send and sends again at the next commit', async () => {
    const s = manualSend();
    const errors: unknown[] = [];
    const n = new Notifier({ send: s.send, onError: (e) => errors.push(e) });
    n.notify();
    n.notify();
    await s.settle(new Error('connection lost'));
    expect(errors.map(String)).toEqual(['Error: connection lost']);
    expect(s.calls).toBe(1); // the coalesced one is not retried in a loop against a lost database
    n.notify();
    expect(s.calls).toBe(2);
    await s.settle();
    await n.close();
  });

  it('sends nothing after close, and close waits for the send on its way', async () => {
    const s = manualSend();
    const n = new Notifier({ send: s.send });
    n.notify();
    n.notify();
    let closed = false;
    const closing = n.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(false);
    await s.settle();
    await closing;
    expect(s.calls).toBe(1);
    n.notify();
    expect(s.calls).toBe(1);
  });
});
