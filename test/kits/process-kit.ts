// Real server processes for the end-to-end tests: `node bin/opd.js serve` with a given environment,
// started on a port of its own choosing (PORT=0: the server prints where it listens), ready once
// /healthz answers. What it prints is kept (the tail) so that a failure can show it. Stopping is
// SIGTERM, then SIGKILL after a timeout; `kill9` is SIGKILL at once, for crash tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AccessService } from '../../src/access/access-service.ts';
import { scryptHasher } from '../../src/access/passwords.ts';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { AccessRepository } from '../../src/store/access-repo.ts';
import { patience, REQUEST_MS, SERVER_START_MS } from './patience.ts';

/** The repository root: bin/opd.js lives there. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/opd.js', import.meta.url));

/** Environment variables of the server that the test runner's environment must not leak into a child. */
const SERVER_VARS = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'OPD_DATA_DIR',
  'OPD_TIMEZONE',
  'OPD_CLOCK',
  'LOG_LEVEL',
  'OPD_REQUEST_TIMEOUT_MS',
  'OPD_HEADERS_TIMEOUT_MS',
  'OPD_KEEP_ALIVE_TIMEOUT_MS',
  'OPD_FEED_MAX_PER_CLIENT',
  'OPD_FEED_MAX_CONNECTIONS',
  'OPD_SESSION_IDLE_MINUTES',
  'OPD_ADMIN_PASSWORD',
  'OPD_TRUST_PROXY',
];

/** Most characters of output kept per process (the tail). */
const KEEP_CHARS = 64_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** The tail of what it printed on stdout and stderr, interleaved, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
  /** SIGKILL: no shutdown, no flushing, no chance to finish anything. */
  kill9(): Promise<Exit>;
}

export interface StartOptions {
  /** Named in failure messages. */
  name?: string;
  /** How long to wait for the address line and a healthy /healthz. Default SERVER_START_MS (test/kits/patience.ts). */
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to the test run, no server outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts `opd serve` with the server variables of `env` only (the runner's own PORT, DATABASE_URL…
 * never leak in); PORT defaults to 0, HOST to 127.0.0.1, LOG_LEVEL to warn.
 */
export async function startServer(env: Record<string, string>, options: StartOptions = {}): Promise<ServerProcess> {
  installExitHook();
  const name = options.name ?? 'server';
  const readyTimeoutMs = options.readyTimeoutMs ?? SERVER_START_MS;
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const v of SERVER_VARS) delete childEnv[v];
  Object.assign(childEnv, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NO_COLOR: '1' }, env);

  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > KEEP_CHARS * 2) out = out.slice(-KEEP_CHARS);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const output = () => (out.length > KEEP_CHARS ? `…${out.slice(-KEEP_CHARS)}` : out);

  const kill = async (signal: NodeJS.Signals): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const stop = async (graceMs = 5_000): Promise<Exit> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const first = await Promise.race([exited, late]);
    clearTimeout(timer);
    return first === 'late' ? kill('SIGKILL') : first;
  };

  try {
    const url = await waitForAddress(child, exited, () => out, readyTimeoutMs);
    await waitForHealth(url, exited, readyTimeoutMs);
    STORES.set(url, childEnv);
    // One key per database, kept across restarts: a retry after a restart is the same caller, so its
    // Idempotency-Key finds the first answer (keys are kept per caller).
    const where = `${childEnv.DATABASE_URL ?? ''}|${childEnv.OPD_DATA_DIR ?? ''}`;
    const key =
      KEYS.get(where) ?? (await withAccess(url, async (access) => (await access.createApiKey({ name: 'process test', role: 'admin', doctorIds: 'all' })).secret));
    if (key !== null) {
      if (childEnv.DATABASE_URL !== 'memory') KEYS.set(where, key);
      CREDENTIALS.set(url, { authorization: `Bearer ${key}` });
    }
    return { name, pid: child.pid!, url, exited, output, stop, kill9: () => kill('SIGKILL') };
  } catch (err) {
    await kill('SIGKILL');
    throw new Error(`${name} did not start: ${(err as Error).message}\n--- its output ---\n${output()}`, { cause: err });
  }
}

async function waitForAddress(child: ChildProcess, exited: Promise<Exit>, out: () => string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let gone: Exit | null = null;
  void exited.then((e) => (gone = e));
  for (;;) {
    const m = /listening on (http:\/\/\S+)/.exec(out());
    if (m) return m[1]!;
    if (gone) throw new Error(`exited early (${describeExit(gone)})`);
    if (Date.now() > deadline) throw new Error(`no address printed within ${timeoutMs} ms (pid ${child.pid})`);
    await sleep(20);
  }
}

async function waitForHealth(url: string, exited: Promise<Exit>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: Exit | null = null;
  void exited.then((e) => (gone = e));
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(patience(2_000)) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not yet
    }
    if (gone) throw new Error(`exited before /healthz answered (${describeExit(gone)})`);
    if (Date.now() > deadline) throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Per database (its URL and data folder), the admin API key made in it. */
const KEYS = new Map<string, string>();

/** Per server URL, the admin API key `http()` sends (created in the server's store at start). */
const CREDENTIALS = new Map<string, Record<string, string>>();

/** The headers that authenticate as an admin of the server at `base` ({} for an in-memory store). */
export function authHeaders(base: string): Record<string, string> {
  return CREDENTIALS.get(base) ?? {};
}

/** Per server URL, the environment it was started with: where its store is. */
const STORES = new Map<string, NodeJS.ProcessEnv>();

/**
 * Works on the server's store directly (the server migrated it already): an admin key at start, a
 * session for a browser. Null for an in-memory store, which no other process can open: such a server
 * answers only its public routes.
 */
async function withAccess<T>(base: string, work: (access: AccessService, repo: AccessRepository) => Promise<T>): Promise<T | null> {
  const env = STORES.get(base);
  if (env === undefined) throw new Error(`${base}: not a server started by startServer`);
  const config = loadConfig(env);
  if (config.store.kind === 'sqlite' && config.store.file === ':memory:') return null;
  const store = await openStore(config.store, { migrate: false });
  try {
    const access = new AccessService(store.access, { clock: { now: () => new Date() }, passwords: scryptHasher({ N: 2 ** 10, r: 8, p: 1 }) });
    return await work(access, store.access);
  } finally {
    await store.close();
  }
}

let sessions = 0;

/**
 * The value of an `opd_session` cookie of a new staff account of `role` on the server at `base`, for
 * a browser context (`context.addCookies`). The account's sessions follow the server's idle rule; a
 * manual clock far from today ends them, so tests that sign in keep the clock near the real time or
 * sign in after setting it.
 */
export async function staffSession(base: string, role: 'admin' | 'desk' | 'doctor' | 'display' = 'admin', doctorIds: string[] | 'all' = 'all'): Promise<string> {
  // Seen last at the server's own (maybe manual) time, as if signed in there.
  const serverNow = new Date((await http(base, 'GET', '/api/clock')).body.now as string);
  const secret = await withAccess(base, async (_access, repo) => {
    const access = new AccessService(repo, { clock: { now: () => serverNow }, passwords: scryptHasher({ N: 2 ** 10, r: 8, p: 1 }) });
    sessions++;
    const username = `${role}-${process.pid}-${sessions}`;
    const password = 'process-test-password';
    await access.createAccount({ username, displayName: `Test ${role}`, role, doctorIds, password });
    return (await access.signIn(username, password)).secret;
  });
  if (secret === null) throw new Error(`${base}: an in-memory store cannot be signed into from a test`);
  return secret;
}

export function describeExit(e: Exit): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------- HTTP

export interface Reply {
  status: number;
  // The tests read answers freely and assert the shapes where it matters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One JSON request, as the server's admin (`authHeaders`); the answer parsed when it is JSON. Times out rather than hang a test. */
export async function http(base: string, method: string, path: string, body?: unknown, timeoutMs = REQUEST_MS, headers: Record<string, string> = {}): Promise<Reply> {
  const all = { ...authHeaders(base), ...headers };
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? all : { 'content-type': 'application/json', ...all },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') && text !== '' ? JSON.parse(text) : text };
}

/** Like `http`, but anything other than `status` fails with the answer and the server's output. */
export async function expectStatus(server: ServerProcess, method: string, path: string, body: unknown, status: number): Promise<Reply['body']> {
  const reply = await http(server.url, method, path, body);
  if (reply.status !== status) {
    throw new Error(
      `${server.name}: ${method} ${path} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)}\n--- its output ---\n${server.output()}`,
    );
  }
  return reply.body;
}

// ---------------------------------------------------------------- one-shot commands

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  ms: number;
}

/**
 * Runs `node bin/opd.js …args` to its end (backup, restore, check…) with the server variables of
 * `env` only, as startServer does; killed after `timeoutMs` so a hung command fails the test.
 */
export function runOpd(args: string[], env: Record<string, string>, timeoutMs = patience(60_000)): Promise<CommandRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const v of SERVER_VARS) delete childEnv[v];
  Object.assign(childEnv, { NO_COLOR: '1' }, env);
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    // 'close', not 'exit': only then has everything it printed been read.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
