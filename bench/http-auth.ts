// Credentials for the HTTP benchmark (SPEC 11: every booking is made by a signed-in caller), and the
// cost of the access layer measured on its own.
//
// - `benchCredentials` opens a server's store (after the server migrated it) and makes an admin API
//   key and a desk account's session there, with the real password hashing: the load then sends
//   `Authorization: Bearer …` or the `opd_session` cookie, as a machine or a browser would.
// - `accessHookCost` times the access layer's per-request work in-process, without HTTP: the
//   credential hook (hash of the secret, the access tables read) and the route check, per credential
//   kind, on a SQLite file store like the embedded server's.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessService } from '../src/access/access-service.ts';
import { ROUTES } from '../src/access/roles.ts';
import { checkRoute } from '../src/api/access/authorize.ts';
import { CredentialCache, resolveCredentials } from '../src/api/access/credentials.ts';
import type { StoreConfig } from '../src/config.ts';
import { openStore } from '../src/store/open-store.ts';

export interface BenchCredentials {
  bearer: Record<string, string>;
  cookie: Record<string, string>;
}

/** Per server URL, the headers the hospital set-up (http-api.ts) sends. */
const CREDENTIALS = new Map<string, Record<string, string>>();

export function credentialsFor(base: string): Record<string, string> {
  return CREDENTIALS.get(base) ?? {};
}

/** An admin key and a desk session in the store of the servers at `bases` (which opened it first). */
export async function benchCredentials(store: StoreConfig, bases: string[]): Promise<BenchCredentials> {
  const opened = await openStore(store, { migrate: false });
  try {
    const access = new AccessService(opened.access, { clock: { now: () => new Date() } });
    const { secret } = await access.createApiKey({ name: 'benchmark', role: 'admin', doctorIds: 'all' });
    const password = 'benchmark-password';
    await access.createAccount({ username: 'bench.desk', displayName: 'Benchmark desk', role: 'desk', doctorIds: 'all', password });
    const session = await access.signIn('bench.desk', password);
    const bearer = { authorization: `Bearer ${secret}` };
    for (const base of bases) CREDENTIALS.set(base, bearer);
    return { bearer, cookie: { cookie: `opd_session=${session.secret}` } };
  } finally {
    await opened.close();
  }
}

export interface HookCost {
  name: string;
  /** Microseconds of processor time (user + system) per request of the credential hook and the route check together. */
  microseconds: number;
}

/** The access layer's own cost per request: `rounds` calls of its onRequest hooks for POST /api/tokens. */
export async function accessHookCost(rounds = 20_000): Promise<HookCost[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opd-auth-bench-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'opd.sqlite') });
  try {
    const access = new AccessService(store.access, { clock: { now: () => new Date() } });
    const { secret } = await access.createApiKey({ name: 'bench', role: 'desk', doctorIds: 'all' });
    await access.createAccount({ username: 'bench.desk', displayName: 'Desk', role: 'desk', doctorIds: 'all', password: 'benchmark-password' });
    const session = (await access.signIn('bench.desk', 'benchmark-password')).secret;
    const rule = ROUTES.find((r) => r.method === 'POST' && r.path === '/api/tokens')!;
    const cases: { name: string; cacheMs: number; headers: Record<string, string>; cookies: Record<string, string> }[] = [
      { name: 'API key (bearer)', cacheMs: 0, headers: { authorization: `Bearer ${secret}` }, cookies: {} },
      { name: 'session cookie', cacheMs: 0, headers: {}, cookies: { opd_session: session } },
      { name: 'session cookie, 5 s cache', cacheMs: 5_000, headers: {}, cookies: { opd_session: session } },
    ];
    const out: HookCost[] = [];
    for (const c of cases) {
      const hook = resolveCredentials(access, new CredentialCache(c.cacheMs));
      const once = async () => {
        const request = { headers: c.headers, cookies: c.cookies, routeOptions: { config: { access: rule } }, params: {}, actor: null, credential: null } as unknown as FastifyRequest;
        await hook(request, {} as FastifyReply);
        await checkRoute(request);
        if (request.actor === null) throw new Error(`bench: ${c.name} did not resolve`);
      };
      for (let i = 0; i < 2_000; i++) await once();
      // Processor time, not wall time: the machine may be shared, and the servers' costs below are CPU too.
      const started = process.cpuUsage();
      for (let i = 0; i < rounds; i++) await once();
      const used = process.cpuUsage(started);
      out.push({ name: c.name, microseconds: (used.user + used.system) / rounds });
    }
    return out;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
