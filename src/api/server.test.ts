// The server entry: `opd serve` refuses a bad configuration; a server listens, says where, and shuts
// down on SIGTERM: the open live feed is ended and the signal handlers are removed again.

import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../cli/main.ts';
import { loadConfig } from '../config.ts';
import { startServer } from './server.ts';

function io(env: Record<string, string>): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, cwd: process.cwd(), stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
}

describe('opd serve', () => {
  it('refuses a bad configuration with exit code 2 and says what is wrong', async () => {
    const sut = io({ OPD_CLOCK: 'sometimes' });
    expect(await main(['serve'], sut)).toBe(2);
    expect(sut.err.join('')).toMatch(/OPD_CLOCK/);
  });

  it('listens, prints where the API and docs are, and shuts down gracefully on SIGTERM', async () => {
    const sut = io({});
    const listeners = process.listenerCount('SIGTERM');
    const server = await startServer(loadConfig({ DATABASE_URL: 'memory', PORT: '0', LOG_LEVEL: 'silent' }), sut);
    expect(sut.out.join('')).toContain(`${server.url}/docs`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Everything but the public routes asks who is calling.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const { secret } = await server.access.createApiKey({ name: 'monitoring', role: 'admin', doctorIds: 'all' });
    const headers = { authorization: `Bearer ${secret}` };
    // The store reports to the metrics the server serves: migrate's commit is there.
    expect(await (await fetch(`${server.url}/metrics`, { headers })).text()).toMatch(/^opd_sqlite_commit_batch_size_count [1-9]/m);

    const feed = await fetch(`${server.url}/api/events`, { headers });
    const reader = feed.body!.getReader();
    await reader.read();
    process.emit('SIGTERM', 'SIGTERM');
    await server.closed;
    // the feed was ended by the server, not left hanging
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });
});
