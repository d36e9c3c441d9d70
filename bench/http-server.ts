// Real server processes for the HTTP benchmark: `node bin/opd.js serve` (or the bare Fastify
// server), each on a free port of 127.0.0.1, stopped with SIGTERM, killed if it does not stop. Also
// the fresh PostgreSQL database a case runs on, created and dropped by the benchmark.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

const running = new Map<ChildProcess, () => number>();
// Whatever happens to the benchmark, it leaves no server behind (nor a wrapper).
process.on('exit', () => {
  for (const [child, serverPid] of running) {
    try {
      process.kill(serverPid(), 'SIGKILL');
    } catch {
      // already gone
    }
    child.kill('SIGKILL');
  }
});

/**
 * Starts `node <args>` in the repository with `env` on top of this process's environment (less
 * DATABASE_URL, which each case sets itself) and waits until it prints the URL it listens on.
 */
export function startProcess(args: string[], env: Record<string, string>, nodeOptions: string[] = [], wrapper: string[] = []): Promise<ServerProcess> {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const command = [...wrapper, process.execPath, ...nodeOptions, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO,
    env: { ...base, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  // Under a wrapper (strace), the server is the wrapper's child: signals go to it, and the wrapper
  // ends with it.
  let traced: number | undefined;
  const serverPid = (): number => (wrapper.length === 0 ? child.pid! : (traced ??= childOf(child.pid!)) ?? child.pid!);
  running.set(child, serverPid);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(serverPid(), 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`bench: ${args.join(' ')} did not start within 120 s (a loaded machine)\n${stderr}`));
    }, 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, pid: serverPid(), stop });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${args.join(' ')} exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
}

/** The first child process of `pid` (Linux /proc), if any. */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** Options for every token desk server of the benchmark: manual clock, no logging. */
const DESK_ENV = { OPD_CLOCK: 'manual', LOG_LEVEL: 'silent', OPD_TIMEZONE: 'Asia/Kolkata' };

/** The token desk on a fresh SQLite file (the default store: group commit, WAL, synchronous=FULL). */
export async function startSqliteDesk(nodeOptions: string[] = [], wrapper: string[] = []): Promise<{ server: ServerProcess; dataDir: string; cleanUp: () => void }> {
  // Under the system's temporary directory, which here is on the same disk as the project (not tmpfs):
  // fsync is real.
  const dataDir = mkdtempSync(join(tmpdir(), 'opd-http-bench-'));
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const server = await startProcess(['bin/opd.js', 'serve'], { ...DESK_ENV, OPD_DATA_DIR: dataDir }, nodeOptions, wrapper);
    return { server, dataDir, cleanUp };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** The token desk on PostgreSQL at `url`. */
export function startPostgresDesk(url: string, nodeOptions: string[] = []): Promise<ServerProcess> {
  return startProcess(['bin/opd.js', 'serve'], { ...DESK_ENV, DATABASE_URL: url }, nodeOptions);
}

export interface BenchDatabase {
  /** The URL of the fresh database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database on the server of `adminUrl` (any database the user may connect to), or
 * returns null with the reason when PostgreSQL does not answer.
 */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase | { skipped: string }> {
  const name = `opd_http_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => {});
    return { skipped: `PostgreSQL at ${redact(adminUrl)} did not answer (${(error as Error).message})` };
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
