// What the HTTP layer refuses before a route runs, over a real socket: bytes Node's parser rejects,
// requests that do not arrive in time, a feed position ahead of the log, and the caps on open feeds.
// Every refusal is problem+json from the one table.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { call, harness, patient, seedDay, type Harness } from '../../test/kits/api/test-kit.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function listen(opts: Parameters<typeof harness>[0] = {}): Promise<{ port: number; base: string }> {
  h = await harness(opts);
  const base = await h.sut.listen({ host: '127.0.0.1', port: 0 });
  return { port: (h.sut.server.address() as net.AddressInfo).port, base };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
}

/** Writes bytes as they are and reads the first answer; bounded by `ms`. */
function raw(port: number, bytes: string, ms = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ms} ms; got ${JSON.stringify(text)}`));
    }, ms);
    socket.on('data', (d) => (text += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), closed: true });
    });
  });
}

const expectProblem = (a: RawAnswer, status: number, code: string) => {
  expect(a.status, a.body).toBe(status);
  expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(a.body)).toMatchObject({ status, code, detail: expect.any(String), type: expect.stringMatching(/^urn:opd-tokens:problem:/) });
};

describe("the HTTP parser's refusals are problem+json", () => {
  it('405 for a method Node does not know, and for one no route uses (with Allow)', async () => {
    const { port } = await listen();
    expectProblem(await raw(port, 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), 405, 'METHOD_NOT_ALLOWED');
    const propfind = await raw(port, 'PROPFIND /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expectProblem(propfind, 405, 'METHOD_NOT_ALLOWED');
    expect(propfind.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT']);
  });

  it('431 for headers over 16 KiB', async () => {
    const { port } = await listen();
    expectProblem(await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`), 431, 'HEADERS_TOO_LARGE');
  });

  it('400 for a Content-Length that is not a length, or that comes with Transfer-Encoding', async () => {
    const { port } = await listen();
    const post = (headers: string) => `POST /api/doctors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n\r\n{}`;
    expectProblem(await raw(port, post('Content-Length: abc')), 400, 'VALIDATION_FAILED');
    expectProblem(await raw(port, post('Content-Length: 2\r\nTransfer-Encoding: chunked')), 400, 'VALIDATION_FAILED');
    expectProblem(await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'), 400, 'VALIDATION_FAILED');
  });

  it('a body longer than its Content-Length: the rest is not taken for a request', async () => {
    const { port } = await listen();
    const a = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}{"name":"x"}\r\n\r\n');
    // The first request is answered; the extra bytes reach the parser as a request line without a method.
    expect(a.status).toBe(200);
    const [, second = ''] = a.body.split(/(?=HTTP\/1\.1 )/);
    expect(second).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(second).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(JSON.parse(second.split('\r\n\r\n')[1]!)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('408 when the body stops short of its Content-Length and the request timeout passes', async () => {
    const { port } = await listen({ timeouts: { requestMs: 1_000, headersMs: 500 } });
    const started = Date.now();
    const a = await raw(port, `POST /api/doctors HTTP/1.1\r\nHost: x\r\nAuthorization: ${h!.adminHeaders.authorization}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"na`, 10_000);
    expectProblem(a, 408, 'REQUEST_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await call(h!.sut, 'GET', '/api/doctors')).body).toEqual([]);
  });
});

/** An SSE connection over node:http: its status, headers and everything it sent so far. */
function openFeed(base: string, path: string, headers: Record<string, string> = {}, localAddress?: string) {
  let text = '';
  let status = 0;
  let responseHeaders: http.IncomingHttpHeaders = {};
  // As the harness's admin unless the test names other credentials.
  const req = http.get(`${base}${path}`, { headers: { ...h?.adminHeaders, ...headers }, localAddress });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      resolve();
    });
    req.on('error', reject);
  });
  return {
    opened,
    get status() {
      return status;
    },
    get headers() {
      return responseHeaders;
    },
    text: () => text,
    /** Waits (bounded) until the stream has sent something matching `re`. */
    async until(re: RegExp, ms = 5_000) {
      const deadline = Date.now() + ms;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`feed: no ${re} within ${ms} ms; got ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => req.destroy(),
  };
}

describe('the live feed', () => {
  it('a Last-Event-ID or ?after= ahead of the log starts at the latest event, so new events arrive', async () => {
    const { base } = await listen({ feed: { heartbeatMs: 200, pollMs: 100 } });
    const day = await seedDay(h!.sut);
    const latest = await h!.desk.latestSeq();
    const ahead = openFeed(base, '/api/events', { 'last-event-id': String(latest + 1000) });
    const after = openFeed(base, `/api/events?after=${latest + 5}`);
    try {
      await Promise.all([ahead.opened, after.opened]);
      expect([ahead.status, after.status]).toEqual([200, 200]);
      await ahead.until(new RegExp(`: feed after ${latest} \\(asked after ${latest + 1000}, ahead of the log\\)`));
      await after.until(new RegExp(`: feed after ${latest} \\(asked after ${latest + 5}, ahead of the log\\)`));
      expect((await call(h!.sut, 'POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() })).status).toBe(201);
      await ahead.until(new RegExp(`id: ${latest + 1}\\n`));
      await after.until(new RegExp(`id: ${latest + 1}\\n`));
    } finally {
      ahead.close();
      after.close();
    }
  });

  it('caps open feeds per client address and in all: 503 FEED_FULL with Retry-After, and a closed feed frees its place', async () => {
    const { base } = await listen({ feed: { heartbeatMs: 200, pollMs: 100, limits: { maxPerClient: 2, maxTotal: 3 } } });
    const open: ReturnType<typeof openFeed>[] = [];
    /** From 127.0.0.x: Linux routes all of 127/8 to loopback, so each is another client address. */
    const feed = async (from = '127.0.0.1') => {
      const f = openFeed(base, '/api/events', {}, from);
      open.push(f);
      await f.opened;
      return f;
    };
    try {
      expect((await feed()).status).toBe(200);
      expect((await feed()).status).toBe(200);
      const third = await feed();
      expect(third.status).toBe(503);
      expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(third.headers['retry-after']).toBe('10');
      await third.until(/"code":"FEED_FULL"/);
      expect(JSON.parse(third.text())).toMatchObject({ status: 503, code: 'FEED_FULL', detail: expect.stringContaining('2 from one address') });

      // Another address still gets one, up to the total of 3; then nobody does.
      expect((await feed('127.0.0.2')).status).toBe(200);
      const fourth = await feed('127.0.0.3');
      expect(fourth.status).toBe(503);
      await fourth.until(/"code":"FEED_FULL"/);
      expect(JSON.parse(fourth.text()).detail).toContain("the server's 3");

      // A feed that ends frees its place (the server notices the close shortly after).
      open[0]!.close();
      const deadline = Date.now() + 5_000;
      let again = await feed();
      while (again.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        again = await feed();
      }
      expect(again.status).toBe(200);
    } finally {
      for (const f of open) f.close();
    }
  });
});
