// The request log at `info` (access-log.ts): one line per request with what the operators need, no
// personal data, and the buffered standard output that still writes every line (on close, on a timer,
// on a crash).

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferedLog, LOG_BUFFER_BYTES } from './access-log.ts';
import { buildApp } from './app.ts';
import { harness, patient, seedDay, type Day, type Harness } from '../../test/kits/api/test-kit.ts';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  [field: string]: unknown;
}

describe('the request log at info', () => {
  let h: Harness;
  let app: FastifyInstance;
  let day: Day;
  let text = '';
  const lines = (): Line[] =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);
  /** The lines of one request, by its id. */
  const linesOf = (reqId: string) => lines().filter((l) => l.reqId === reqId);
  const send = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = h.adminHeaders) => {
    const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { res, reqId: String(res.headers['x-request-id']) };
  };

  beforeAll(async () => {
    h = await harness();
    day = await seedDay(h.sut);
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    // The same app as the server builds, on the harness's desk, logging at info into `text`.
    app = buildApp({ desk: h.desk, access: h.access, patients: h.patients, metrics: h.metrics, logger: { level: 'info', stream } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('a booking gives one line: method, route, status, time taken and the request id of its answer', async () => {
    const { res, reqId } = await send('POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: patient() });
    expect(res.statusCode).toBe(201);
    const mine = linesOf(reqId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ level: 30, msg: 'request completed', method: 'POST', route: '/api/tokens', statusCode: 201 });
    expect(typeof mine[0]!.responseTime).toBe('number');
    expect(lines().some((l) => l.msg === 'incoming request')).toBe(false);
  });

  it("holds no patient's name, phone or id, nor a page's code: the route pattern, never the URL", async () => {
    const who = { name: 'Meenakshi Sundaram', phone: '+91 98450 77123', id: 'P-LOG-1' };
    const booked = await send('POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: who });
    const code = String(booked.res.json<{ publicUrl: string }>().publicUrl).replace('/t/', '');
    const searched = await send('GET', `/api/tokens?q=${encodeURIComponent(who.name)}`);
    const byPhone = await send('GET', `/api/tokens?q=${encodeURIComponent('9845077123')}`);
    const page = await send('GET', `/api/patient/${code}`, undefined, {});
    expect([searched.res.statusCode, byPhone.res.statusCode, page.res.statusCode]).toEqual([200, 200, 200]);
    expect(linesOf(searched.reqId)).toMatchObject([{ route: '/api/tokens', statusCode: 200 }]);
    expect(linesOf(page.reqId)).toMatchObject([{ route: '/api/patient/:code', statusCode: 200 }]);
    for (const secret of ['Meenakshi', 'Sundaram', '9845077123', '98450 77123', 'P-LOG-1', code]) expect(text).not.toContain(secret);
  });

  it("a refused booking's line names the code and the field, never what was sent (a phone that is no number)", async () => {
    const { res, reqId } = await send('POST', '/api/tokens', { doctorId: day.doctor.id, source: 'WALKIN', patient: { name: 'Kavitha Raman', phone: '00000 1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('00000 1');
    const mine = linesOf(reqId);
    expect(mine).toMatchObject([{ msg: 'request refused', code: 'VALIDATION_FAILED', fields: ['/patient/phone'] }, { msg: 'request completed', statusCode: 400 }]);
    const written = JSON.stringify(mine);
    for (const secret of ['00000 1', 'Kavitha']) expect(written).not.toContain(secret);
  });

  it('a refusal keeps its own line with the code, beside the request line; an unknown path is "unmatched"', async () => {
    const refused = await send('GET', '/api/tokens/no-such-token');
    expect(refused.res.statusCode).toBe(404);
    expect(linesOf(refused.reqId)).toMatchObject([
      { msg: 'request refused', code: 'NOT_FOUND' },
      { msg: 'request completed', route: '/api/tokens/:id', statusCode: 404 },
    ]);
    const nowhere = await send('GET', '/nowhere/at/all');
    expect(linesOf(nowhere.reqId).at(-1)).toMatchObject({ msg: 'request completed', method: 'GET', route: 'unmatched', statusCode: 404 });
  });
});

describe('the buffered standard output', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opd-log-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds lines back until a few KiB wait, and writes them on close', async () => {
    const file = join(dir, 'close.log');
    const fd = openSync(file, 'w');
    const out = bufferedLog(fd);
    const log = pino({ level: 'info' }, out.stream);
    log.info({ n: 1 }, 'first');
    log.info({ n: 2 }, 'second');
    // Not written yet: a write per line is what the buffer saves.
    expect(readFileSync(file, 'utf8')).toBe('');
    await out.close();
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as Line).msg)).toEqual(['first', 'second']);
    closeSync(fd);
  });

  it('writes once enough lines wait, and writes a lone line on its own shortly after', async () => {
    const file = join(dir, 'timer.log');
    const fd = openSync(file, 'w');
    const out = bufferedLog(fd);
    const log = pino({ level: 'info' }, out.stream);
    const filler = 'x'.repeat(200);
    const many = Math.ceil(LOG_BUFFER_BYTES / filler.length) + 1;
    for (let i = 0; i < many; i++) log.info({ filler }, `line ${i}`);
    await expect.poll(() => readFileSync(file, 'utf8').length, { timeout: 5_000 }).toBeGreaterThanOrEqual(LOG_BUFFER_BYTES);
    log.info('a lone line');
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 5_000 }).toContain('a lone line');
    await out.close();
    closeSync(fd);
  });

  it('a process that crashes (an uncaught exception) still writes the lines it buffered', () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    const script = [
      "import pino from 'pino';",
      "import { bufferedLog } from './src/api/access-log.ts';",
      "const log = pino({ level: 'info' }, bufferedLog().stream);",
      "log.info('before the crash');",
      "setTimeout(() => { log.info('the last line'); throw new Error('crash'); }, 10);",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: crash');
    expect(run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Line).msg)).toEqual(['before the crash', 'the last line']);
  });
});
