// Where the machine's time went during a load (Linux /proc): CPU of the server processes, of this
// process (the load generator), and of the whole machine; what the servers wrote to storage; and how
// often the server called fsync (counted by strace, when it is installed, watching fsync calls only).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ

/** CPU seconds used so far by process `pid` (user + system), or NaN when it cannot be read. */
export function processCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Bytes process `pid` has caused to be written to storage so far (its page-cache writes), or NaN. */
export function processWrites(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/io`, 'utf8').split('\n').find((l) => l.startsWith('write_bytes:'));
    return line ? Number(line.slice('write_bytes:'.length)) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds used so far by the PostgreSQL processes running now (backends and background workers,
 * by their name). A process that exits inside a window takes its time with it; the benchmark's
 * backends live as long as the servers' pools, so a window under load loses little.
 */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // gone meanwhile
    }
    const seconds = processCpu(Number(entry));
    if (!Number.isNaN(seconds)) cpu.set(Number(entry), seconds);
  }
  return cpu;
}

/** CPU seconds the whole machine has been busy (all cores; not idle, not waiting for I/O). */
function machineBusy(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu as [number, number, number, number, number, number, number, number];
    void idle;
    void iowait;
    return (user + nice + system + irq + softirq + steal) / TICKS;
  } catch {
    return Number.NaN;
  }
}

export interface CpuWindow {
  /** Cores used, on average, by the server processes. */
  server: number;
  /** Cores used by this process: autocannon and its request bodies. */
  loadGenerator: number;
  /** Cores used by PostgreSQL's processes on this machine (whoever they worked for). */
  database: number;
  /** Cores used by everything else: other sessions on a shared machine. */
  rest: number;
  /** Cores busy in all. */
  machine: number;
  /** Bytes the server processes wrote to storage (SQLite: WAL and checkpoints; PostgreSQL writes in its own processes). */
  written: number;
}

/** Starts measuring; the returned function ends the window and gives the averages. */
export function cpuWindow(serverPids: number[]): () => CpuWindow {
  const start = performance.now();
  const server0 = serverPids.map(processCpu);
  const written0 = serverPids.map(processWrites);
  const self0 = process.cpuUsage();
  const machine0 = machineBusy();
  const database0 = postgresCpu();
  return () => {
    const seconds = (performance.now() - start) / 1000;
    const server = serverPids.reduce((sum, pid, i) => sum + processCpu(pid) - server0[i]!, 0) / seconds;
    const self = process.cpuUsage(self0);
    const loadGenerator = (self.user + self.system) / 1e6 / seconds;
    const machine = (machineBusy() - machine0) / seconds;
    const written = serverPids.reduce((sum, pid, i) => sum + processWrites(pid) - written0[i]!, 0);
    let database = 0;
    for (const [pid, seconds] of postgresCpu()) database += seconds - (database0.get(pid) ?? 0);
    database /= seconds;
    return { server, loadGenerator, machine, database, rest: Math.max(0, machine - server - loadGenerator - database), written };
  };
}

/** strace, when installed and allowed: `strace … node …` then counts the fsync calls it logged. */
export function fsyncTracer(): { wrapper: string[]; count: (from: number, to: number) => number; file: string } | null {
  const probe = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const file = `/tmp/opd-http-bench-fsync-${process.pid}.log`;
  // --seccomp-bpf stops the server on fsync calls only, so the rest of its work runs untraced;
  // -ttt: each call with its time, to count the calls inside a measured window.
  const wrapper = ['strace', '--seccomp-bpf', '-f', '-qq', '-ttt', '-e', 'trace=fsync,fdatasync', '-o', file];
  return {
    wrapper,
    file,
    count: (from: number, to: number) => {
      if (!existsSync(file)) return Number.NaN;
      let n = 0;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const match = /^(?:\d+\s+)?(\d+\.\d+) f(?:data)?sync\(/.exec(line);
        if (!match) continue;
        const at = Number(match[1]) * 1000;
        if (at >= from && at <= to) n++;
      }
      return n;
    },
  };
}
