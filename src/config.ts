// Configuration is read once, at start, from the environment (SPEC 10), validated, and passed down.
// Nothing below src/cli/ and src/api/server.ts reads process.env.

import { z } from 'zod';
import { assertTimeZone } from './time/local-time.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** unset → SQLite file in OPD_DATA_DIR; `memory` → SQLite in memory; postgres:// → PostgreSQL */
  DATABASE_URL: z
    .string()
    .refine((v) => v === 'memory' || /^postgres(ql)?:\/\//.test(v), 'DATABASE_URL must be "memory" or a postgres:// URL')
    .optional(),
  OPD_DATA_DIR: z.string().min(1).default('./data'),
  OPD_TIMEZONE: z
    .string()
    .default('Asia/Kolkata')
    .refine((tz) => {
      try {
        assertTimeZone(tz);
        return true;
      } catch {
        return false;
      }
    }, 'OPD_TIMEZONE must be an IANA time zone such as Asia/Kolkata'),
  OPD_CLOCK: z.enum(['system', 'manual']).default('system'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type StoreConfig = { kind: 'sqlite'; file: string | ':memory:' } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  store: StoreConfig;
  timeZone: string;
  clock: 'system' | 'manual';
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

/** Reads and checks the configuration; throws with every problem listed when it is wrong. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (PORT=) means unset, as in most shells' and tools' conventions.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  const store: StoreConfig =
    c.DATABASE_URL === undefined
      ? { kind: 'sqlite', file: `${c.OPD_DATA_DIR.replace(/\/+$/, '')}/opd.sqlite` }
      : c.DATABASE_URL === 'memory'
        ? { kind: 'sqlite', file: ':memory:' }
        : { kind: 'postgres', url: c.DATABASE_URL };
  return { port: c.PORT, host: c.HOST, store, timeZone: c.OPD_TIMEZONE, clock: c.OPD_CLOCK, logLevel: c.LOG_LEVEL };
}
