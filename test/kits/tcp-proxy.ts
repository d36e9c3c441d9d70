// A TCP proxy on 127.0.0.1 (a random port) in front of a server, that a test can cut and restore: a
// network blip, a fail-over or a restart of the database as its clients see them.

import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every open connection and refuses (resets) new ones until `restore`. */
  cut(): void;
  /**
   * Once: the next message from a client that matches is passed on to the server, and then that
   * connection is cut before the server's answer can come back (a commit whose answer is lost).
   */
  cutAfter(matches: (text: string) => boolean): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  let armed: { matches: (text: string) => boolean; sprung: () => void } | null = null;
  const server = net.createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => {
      const trap = armed;
      if (trap && trap.matches(chunk.toString('latin1'))) {
        armed = null;
        client.pause();
        upstream.write(chunk, () => {
          client.resetAndDestroy();
          upstream.resetAndDestroy();
          trap.sprung();
        });
        return;
      }
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = () => {
    for (const s of [...open]) s.resetAndDestroy();
    open.clear();
  };
  return {
    port,
    cut() {
      down = true;
      cutAll();
    },
    restore() {
      down = false;
    },
    cutAfter(matches) {
      return new Promise((resolve) => (armed = { matches, sprung: resolve }));
    },
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
