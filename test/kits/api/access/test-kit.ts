// For the tests of the access routes: the real app with an AccessService on the store (cheap scrypt
// parameters, the desk's manual clock), on in-memory SQLite or a store the caller opens.

import type { FastifyInstance } from 'fastify';
import { AccessService } from '../../../../src/access/access-service.ts';
import { scryptHasher } from '../../../../src/access/passwords.ts';
import { PatientDesk } from '../../../../src/service/patient-desk.ts';
import { createTokenDesk } from '../../../../src/service/token-desk.ts';
import type { TokenDesk } from '../../../../src/service/types.ts';
import { ManualClock } from '../../../../src/time/clock.ts';
import { openStore } from '../../../../src/store/open-store.ts';
import type { Store } from '../../../../src/store/store.ts';
import { buildApp, type AppOptions } from '../../../../src/api/app.ts';
import { T0, withDefaultHeaders } from '../test-kit.ts';

export interface AccessHarness {
  sut: FastifyInstance;
  desk: TokenDesk;
  store: Store;
  access: AccessService;
  close(): Promise<void>;
}

export const FAST_SCRYPT = scryptHasher({ N: 2 ** 10, r: 8, p: 1 });

export async function accessHarness(
  opts: { store?: () => Promise<Store>; signInLimits?: AppOptions['signInLimits']; trustProxy?: boolean; idleMinutes?: number } = {},
): Promise<AccessHarness> {
  const store = await (opts.store ?? (() => openStore({ kind: 'sqlite', file: ':memory:' })))();
  const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock: new ManualClock(new Date(T0)) });
  const access = new AccessService(store.access, { clock: { now: () => desk.now() }, passwords: FAST_SCRYPT, idleMinutes: opts.idleMinutes });
  const patients = await PatientDesk.open(desk, store.settings);
  const sut = buildApp({ desk, access, patients, signInLimits: opts.signInLimits, trustProxy: opts.trustProxy, credentialCacheMs: 0 });
  await sut.ready();
  // Requests without credentials of their own are an admin's (an API key, so no account is added).
  const admin = await access.createApiKey({ name: 'test admin', role: 'admin', doctorIds: 'all' });
  withDefaultHeaders(sut, { authorization: `Bearer ${admin.secret}` });
  return {
    sut,
    desk,
    store,
    access,
    async close() {
      await sut.close();
      await desk.close();
      await store.close();
    },
  };
}

/** The value of a Set-Cookie header's cookie `name`, and its attributes in lower case. */
export function cookieOf(headers: Record<string, unknown>, name: string): { value: string; attributes: string[] } | null {
  const raw = headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? (raw as string[]) : [String(raw)];
  for (const line of all) {
    const [pair, ...attributes] = line.split(';').map((p) => p.trim());
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq) === name) return { value: decodeURIComponent(pair!.slice(eq + 1)), attributes: attributes.map((a) => a.toLowerCase()) };
  }
  return null;
}
