// Configuration is read once, at start, from the environment (SPEC 10), validated, and passed down.
// Nothing below src/cli/ and src/api/server.ts reads process.env.

import { z } from 'zod';
import { FEED_DEFAULTS, TIMEOUT_DEFAULTS, type FeedLimits, type HttpTimeouts } from './api/limits.ts';
import { passwordProblem } from './access/passwords.ts';
import { DEFAULT_PHONE_REGION, isPhoneRegion, type PhoneRegion } from './service/phone.ts';
import { assertTimeZone } from './time/local-time.ts';

const millis = (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback);
/** A yes/no variable: true/false, 1/0, yes/no, on/off (a bare "false" must not count as set). */
const flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' }))
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v))
  .default(false);
const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

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
  OPD_PHONE_REGION: z
    .string()
    .default(DEFAULT_PHONE_REGION)
    .refine(isPhoneRegion, 'OPD_PHONE_REGION must be a two-letter country code such as IN'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPD_REQUEST_TIMEOUT_MS: millis(TIMEOUT_DEFAULTS.requestMs),
  OPD_HEADERS_TIMEOUT_MS: millis(TIMEOUT_DEFAULTS.headersMs),
  OPD_KEEP_ALIVE_TIMEOUT_MS: millis(TIMEOUT_DEFAULTS.keepAliveMs),
  OPD_FEED_MAX_PER_CLIENT: count(FEED_DEFAULTS.maxPerClient),
  OPD_FEED_MAX_CONNECTIONS: count(FEED_DEFAULTS.maxTotal),
  /** How many dates, today included, the service makes slots for from the weekly rotas (at most a year). */
  OPD_ROTA_DAYS: z.coerce.number().int().min(1).max(366).default(14),
  /** Personal data (names, phones, patient ids) of a doctor-day is erased this many days after it. */
  OPD_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** A staff session ends after this many minutes without a request (at most 30 days). */
  OPD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(43_200).default(480),
  /** Creates the account `admin` with this password at start when no account of that name exists. */
  OPD_ADMIN_PASSWORD: z
    .string()
    .check((ctx) => {
      // The message names the rule, never the value: it is a password.
      const problem = passwordProblem(ctx.value);
      if (problem !== null) ctx.issues.push({ code: 'custom', message: problem, input: '' });
    })
    .optional(),
  /** Behind a reverse proxy: the client address and protocol come from X-Forwarded-For/-Proto. */
  OPD_TRUST_PROXY: flag,
}).refine(
  // Node refuses to start otherwise; say it in the configuration's words.
  (c) => c.OPD_REQUEST_TIMEOUT_MS === 0 || c.OPD_HEADERS_TIMEOUT_MS <= c.OPD_REQUEST_TIMEOUT_MS,
  { path: ['OPD_HEADERS_TIMEOUT_MS'], message: 'OPD_HEADERS_TIMEOUT_MS must not exceed OPD_REQUEST_TIMEOUT_MS' },
);

export type StoreConfig = { kind: 'sqlite'; file: string | ':memory:' } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  store: StoreConfig;
  timeZone: string;
  clock: 'system' | 'manual';
  /** How a phone written without a country code is read (SPEC 7). */
  phoneRegion: PhoneRegion;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  timeouts: HttpTimeouts;
  feedLimits: FeedLimits;
  sessionIdleMinutes: number;
  /** OPD_ROTA_DAYS: dates (today included) made from the weekly rotas. */
  rotaDays: number;
  /** Days a doctor-day's personal data is kept (OPD_RETENTION_DAYS, SPEC 12). */
  retentionDays: number;
  /** OPD_ADMIN_PASSWORD, when set. */
  adminPassword?: string;
  trustProxy: boolean;
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
  return {
    port: c.PORT,
    host: c.HOST,
    store,
    timeZone: c.OPD_TIMEZONE,
    clock: c.OPD_CLOCK,
    phoneRegion: c.OPD_PHONE_REGION as PhoneRegion,
    logLevel: c.LOG_LEVEL,
    timeouts: { requestMs: c.OPD_REQUEST_TIMEOUT_MS, headersMs: c.OPD_HEADERS_TIMEOUT_MS, keepAliveMs: c.OPD_KEEP_ALIVE_TIMEOUT_MS },
    feedLimits: { maxPerClient: c.OPD_FEED_MAX_PER_CLIENT, maxTotal: c.OPD_FEED_MAX_CONNECTIONS },
    sessionIdleMinutes: c.OPD_SESSION_IDLE_MINUTES,
    rotaDays: c.OPD_ROTA_DAYS,
    retentionDays: c.OPD_RETENTION_DAYS,
    ...(c.OPD_ADMIN_PASSWORD === undefined ? {} : { adminPassword: c.OPD_ADMIN_PASSWORD }),
    trustProxy: c.OPD_TRUST_PROXY,
  };
}
