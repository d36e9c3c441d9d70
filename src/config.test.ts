// SPEC 10 configuration by environment: defaults, the three stores, and refusals.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration (SPEC 10)', () => {
  it('defaults: port 3000, embedded store under ./data, Asia/Kolkata, the system clock', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      store: { kind: 'sqlite', file: './data/opd.sqlite' },
      timeZone: 'Asia/Kolkata',
      clock: 'system',
      phoneRegion: 'IN',
      logLevel: 'info',
      timeouts: { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000 },
      feedLimits: { maxPerClient: 32, maxTotal: 1000 },
      sessionIdleMinutes: 480,
      rotaDays: 14,
      retentionDays: 90,
      trustProxy: false,
    });
    expect(loadConfig({})).not.toHaveProperty('adminPassword');
  });

  it('10: OPD_ROTA_DAYS says how many dates the rota makes ahead, from 1 to 366', () => {
    expect(loadConfig({ OPD_ROTA_DAYS: '7' }).rotaDays).toBe(7);
    for (const value of ['0', '367', '2.5', 'two']) expect(() => loadConfig({ OPD_ROTA_DAYS: value }), value).toThrow(/OPD_ROTA_DAYS/);
  });

  it('12: OPD_RETENTION_DAYS, whole days from 1', () => {
    expect(loadConfig({ OPD_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    for (const bad of ['0', '-1', '2.5', 'ninety']) expect(() => loadConfig({ OPD_RETENTION_DAYS: bad }), bad).toThrow(/OPD_RETENTION_DAYS/);
  });

  it('accounts: session idle minutes, the first admin from OPD_ADMIN_PASSWORD, trusting a proxy', () => {
    expect(loadConfig({ OPD_SESSION_IDLE_MINUTES: '30', OPD_ADMIN_PASSWORD: 'from-the-vault-1', OPD_TRUST_PROXY: 'true' })).toMatchObject({
      sessionIdleMinutes: 30,
      adminPassword: 'from-the-vault-1',
      trustProxy: true,
    });
    for (const [value, trusted] of [['1', true], ['YES', true], ['on', true], ['false', false], ['0', false], ['no', false], ['', false]] as const) {
      expect(loadConfig({ OPD_TRUST_PROXY: value }).trustProxy, value).toBe(trusted);
    }
    for (const env of [{ OPD_SESSION_IDLE_MINUTES: '0' }, { OPD_SESSION_IDLE_MINUTES: '1.5' }, { OPD_SESSION_IDLE_MINUTES: '50000' }, { OPD_TRUST_PROXY: 'maybe' }]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(new RegExp(Object.keys(env)[0]!));
    }
    // A weak password is refused at start, and the message never repeats it.
    let message = '';
    try {
      loadConfig({ OPD_ADMIN_PASSWORD: 'hunter2' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^invalid configuration: OPD_ADMIN_PASSWORD: a password needs at least 10 characters/);
    expect(message).not.toContain('hunter2');
  });

  it('slow clients and live feeds: timeouts in ms (0 turns one off) and feed caps, checked', () => {
    expect(
      loadConfig({ OPD_REQUEST_TIMEOUT_MS: '0', OPD_HEADERS_TIMEOUT_MS: '2000', OPD_KEEP_ALIVE_TIMEOUT_MS: '65000', OPD_FEED_MAX_PER_CLIENT: '2', OPD_FEED_MAX_CONNECTIONS: '50' }),
    ).toMatchObject({ timeouts: { requestMs: 0, headersMs: 2000, keepAliveMs: 65_000 }, feedLimits: { maxPerClient: 2, maxTotal: 50 } });
    expect(() => loadConfig({ OPD_REQUEST_TIMEOUT_MS: '5000', OPD_HEADERS_TIMEOUT_MS: '6000' })).toThrow(/OPD_HEADERS_TIMEOUT_MS must not exceed OPD_REQUEST_TIMEOUT_MS/);
    for (const env of [{ OPD_REQUEST_TIMEOUT_MS: '-1' }, { OPD_KEEP_ALIVE_TIMEOUT_MS: 'soon' }, { OPD_FEED_MAX_PER_CLIENT: '0' }, { OPD_FEED_MAX_CONNECTIONS: '1.5' }]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(new RegExp(Object.keys(env)[0]!));
    }
  });

  it('DATABASE_URL: unset → a file in OPD_DATA_DIR, memory → kept in memory, postgres:// → PostgreSQL', () => {
    expect(loadConfig({ OPD_DATA_DIR: '/var/opd/' }).store).toEqual({ kind: 'sqlite', file: '/var/opd/opd.sqlite' });
    expect(loadConfig({ DATABASE_URL: 'memory' }).store).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).store).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ port: 3000, store: { kind: 'sqlite' } });
  });

  it('OPD_PHONE_REGION: how a phone without a country code is read (SPEC 7); a country the phone data knows', () => {
    expect(loadConfig({ OPD_PHONE_REGION: 'NP' }).phoneRegion).toBe('NP');
    for (const bad of ['XX', 'india', 'in']) expect(() => loadConfig({ OPD_PHONE_REGION: bad }), bad).toThrow(/OPD_PHONE_REGION must be a two-letter country code/);
  });

  it('refuses what it cannot use, naming every problem', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'x', OPD_CLOCK: 'fast', OPD_TIMEZONE: 'Mars/Olympus', DATABASE_URL: 'mysql://x' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['PORT', 'OPD_CLOCK', 'OPD_TIMEZONE', 'DATABASE_URL']) expect(message).toContain(name);
    for (const env of [{ PORT: '70000' }, { OPD_CLOCK: 'fast' }, { OPD_TIMEZONE: 'Mars/Olympus' }, { DATABASE_URL: 'mysql://x' }]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(/invalid configuration/);
    }
  });
});
