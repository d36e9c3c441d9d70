// The NOTIFY that wakes every server's live feeds, sent after a commit that appended events, on a
// connection of its own, never inside the transaction that wrote them.
//
// Why not inside: a transaction that sends NOTIFY takes one database-wide lock at COMMIT and holds it
// until its commit record is flushed (PostgreSQL queues notifications in commit order this way), so
// every booking that notified waited for the previous one's WAL flush: commits no longer shared
// flushes, and a booking's lock wait ("Lock: object") grew with the load. Here the NOTIFY is its own
// short transaction with synchronous_commit off (a lost notification only costs a feed its safety
// poll), sent once the booking's COMMIT returned, so it still never announces anything uncommitted.
//
// Wake-ups are coalesced: while one NOTIFY is on its way, the commits meanwhile ask for one more,
// sent when it returns. Every commit is followed by a NOTIFY sent after it, and under load there is
// one NOTIFY per round trip of this connection instead of one per booking.

import pg from 'pg';

export interface NotifierOptions {
  /** Sends one NOTIFY (opening a connection if needed); rejects if it could not be sent. */
  send(): Promise<void>;
  /** Told of a failed NOTIFY (the next commit tries again; feeds still poll meanwhile). */
  onError?: (err: unknown) => void;
}

export class Notifier {
  private sending: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(private readonly options: NotifierOptions) {}

  /** Events were committed: a NOTIFY will be sent after this call (coalesced with others). */
  notify(): void {
    if (this.closed) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.loop().finally(() => {
      this.sending = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.options.send();
      } catch (error) {
        this.options.onError?.(error);
        return;
      }
    } while (this.again && !this.closed);
  }

  /** Waits for a NOTIFY on its way; no more are sent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.sending;
  }
}

/**
 * `send` for a Notifier: NOTIFY on `channel` over one connection of its own, with synchronous_commit
 * off, opened on first use and again after it was lost. `end` closes it.
 */
export function notifyConnection(url: string, channel: string, clientConfig: pg.ClientConfig): { send(): Promise<void>; end(): Promise<void> } {
  let client: Promise<pg.Client> | null = null;
  const sql = `NOTIFY ${pg.escapeIdentifier(channel)}`;
  const open = (): Promise<pg.Client> => {
    const c = new pg.Client({ ...clientConfig, connectionString: url, application_name: 'opd-notify', keepAlive: true, options: '-c synchronous_commit=off' });
    const opened = c.connect().then(() => c);
    // A connection lost while idle must not end the process: it is opened again at the next NOTIFY.
    const forget = () => {
      if (client === opened) client = null;
    };
    c.on('error', forget);
    c.on('end', forget);
    opened.catch(forget);
    return opened;
  };
  return {
    async send() {
      client ??= open();
      const current = client;
      try {
        await (await current).query(sql);
      } catch (error) {
        if (client === current) client = null;
        void current.then((c) => c.end()).catch(() => {});
        throw error;
      }
    },
    async end() {
      const current = client;
      client = null;
      if (current) await (await current.catch(() => null))?.end().catch(() => {});
    },
  };
}
