// `node --import tsx bench/feed-load.ts [streams] [seconds] [pairs] [--write]` (npm run bench:feed): what
// open live streams cost the booking path. One embedded (SQLite) server process on 127.0.0.1; 100
// doctors × 8 hourly slots. Rounds alternate: bookings with no stream open, then with `streams`
// (default 2,000) open — half waiting-room boards (GET /api/events with a display link of one doctor,
// ten boards a doctor), half patient pages (GET /api/patient/<code>/events of tokens booked first) —
// `pairs` times (default 3). Every booking is a new patient with a name and a phone, ONLINE into a
// named slot, sent by autocannon (10 connections, `seconds` per round, default 8). The server's CPU
// (utime + stime of its process, from /proc) is read around each round: CPU per booking with the
// streams open against the same without, in the same run, is the figure. The streams are read to the
// end of every chunk (what they received is counted) and closed after their round.
// Bounded: 2,000 sockets at most, every round stops by itself; the data folder is removed afterwards.
// `--write` puts the table into bench/RESULTS.md (section feed-load).

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHeaders, expectStatus, sleep, startServer, type ServerProcess } from '../test/kits/process-kit.ts';
import { writeResultsSection } from './results-section.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const STREAMS = Number(args[0] ?? 2_000);
const SECONDS = Number(args[1] ?? 8);
const PAIRS = Number(args[2] ?? 3);
const WRITE = process.argv.includes('--write');
const CONNECTIONS = 10;
const IDLE_SECONDS = 3;
const DOCTORS = 100;
const HOURS = [9, 10, 11, 12, 14, 15, 16, 17];
const DATE = '2026-03-10';

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  latency: { p50: number; p99: number };
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    requests: { method: string; path: string; headers: Record<string, string>; setupRequest: (r: object) => object }[];
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown;
// autocannon is CommonJS without type declarations: the part used here is typed above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Server CPU so far, in µs (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Stream {
  req: http.ClientRequest;
  frames: number;
}

/** Opens one SSE stream and counts the frames it receives (the body is read to the end of every chunk). */
function openStream(url: string, headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const stream: Stream = { req: undefined as unknown as http.ClientRequest, frames: 0 };
    stream.req = http.get(url, { agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`${url}: ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (let i = chunk.indexOf('\nid: '); i >= 0; i = chunk.indexOf('\nid: ', i + 1)) stream.frames++;
        if (chunk.startsWith('id: ')) stream.frames++;
      });
      res.on('error', () => {});
      resolve(stream);
    });
    stream.req.on('error', reject);
  });
}

interface Setup {
  slots: { doctorId: string; slotId: string }[];
  boards: { doctorId: string; cookie: string }[];
  pages: string[];
}

async function setUp(server: ServerProcess): Promise<Setup> {
  await expectStatus(server, 'PUT', '/api/clock', { now: `${DATE}T08:00:00+05:30` }, 200);
  const setup: Setup = { slots: [], boards: [], pages: [] };
  for (let d = 0; d < DOCTORS; d++) {
    const doctor = await expectStatus(server, 'POST', '/api/doctors', { name: `Dr Feed ${d}`, department: 'General Medicine', code: `F${String.fromCharCode(65 + Math.floor(d / 26))}${String.fromCharCode(65 + (d % 26))}` }, 201);
    for (const hour of HOURS) {
      const hh = String(hour).padStart(2, '0');
      const end = String(hour + 1).padStart(2, '0');
      const slot = await expectStatus(server, 'POST', '/api/slots', { doctorId: doctor.id, start: `${DATE}T${hh}:00:00+05:30`, end: `${DATE}T${end}:00:00+05:30`, capacity: 400 }, 201);
      setup.slots.push({ doctorId: doctor.id, slotId: slot.id });
    }
    const link = await expectStatus(server, 'POST', '/api/display-links', { name: `Board ${d}`, doctorIds: [doctor.id] }, 201);
    setup.boards.push({ doctorId: doctor.id, cookie: `opd_display=${link.secret}` });
  }
  // One token (and so one patient page) per stream of the patient half, over every doctor.
  for (let i = 0; i < Math.ceil(STREAMS / 2); i++) {
    const { doctorId, slotId } = setup.slots[i % setup.slots.length]!;
    const token = await expectStatus(server, 'POST', '/api/tokens', { doctorId, source: 'ONLINE', slotId, patient: { name: `Page ${i}`, phone: `+91 ${6_000_000_000 + i}` } }, 201);
    setup.pages.push(token.publicUrl.replace('/t/', '/api/patient/') + '/events');
  }
  return setup;
}

let booking = 0;

function book(server: ServerProcess, setup: Setup): Promise<AutocannonResult> {
  const headers = { ...authHeaders(server.url), 'content-type': 'application/json' };
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        duration: SECONDS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: '/api/tokens',
            headers,
            setupRequest: (r) => {
              const i = booking++;
              const { doctorId, slotId } = setup.slots[(i * 7) % setup.slots.length]!;
              return { ...r, body: JSON.stringify({ doctorId, source: 'ONLINE', slotId, flexible: true, patient: { name: `Patient ${i}`, phone: `+91 ${7_000_000_000 + i}` } }) };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

interface Round {
  streams: number;
  perSecond: number;
  cpuPerBooking: number;
  p99: number;
  framesPerStream: number;
  failed: number;
  /** Server CPU ms per second with the streams open and nothing booked. */
  idleCpu: number;
}

async function round(server: ServerProcess, setup: Setup, streams: number): Promise<Round> {
  const open: Stream[] = [];
  try {
    const boards = Math.floor(streams / 2);
    for (let i = 0; i < streams; i++) {
      const url = i < boards ? `${server.url}/api/events` : `${server.url}${setup.pages[i - boards]}`;
      const headers: Record<string, string> = i < boards ? { cookie: setup.boards[i % setup.boards.length]!.cookie } : {};
      open.push(await openStream(url, headers));
    }
    await sleep(1_000);
    // Idle: the streams open, nothing booked.
    const idle0 = cpuMicros(server.pid);
    await sleep(IDLE_SECONDS * 1000);
    const idleCpu = (cpuMicros(server.pid) - idle0) / IDLE_SECONDS / 1000;
    const cpu0 = cpuMicros(server.pid);
    const result = await book(server, setup);
    const cpu = cpuMicros(server.pid) - cpu0;
    await sleep(300);
    const frames = open.reduce((n, s) => n + s.frames, 0);
    return {
      streams,
      perSecond: result['2xx'] / result.duration,
      cpuPerBooking: cpu / Math.max(1, result['2xx']),
      p99: result.latency.p99,
      framesPerStream: streams === 0 ? 0 : frames / streams,
      failed: result.non2xx + result.errors,
      idleCpu,
    };
  } finally {
    for (const s of open) s.req.destroy();
    await sleep(500);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'opd-feed-load-'));
  const server = await startServer(
    {
      OPD_DATA_DIR: dataDir,
      OPD_CLOCK: 'manual',
      LOG_LEVEL: 'silent',
      PORT: '41520',
      // Every stream comes from 127.0.0.1: the per-address cap would refuse all but 32.
      OPD_FEED_MAX_PER_CLIENT: String(STREAMS),
      OPD_FEED_MAX_CONNECTIONS: String(STREAMS),
    },
    { name: 'feed-load server', readyTimeoutMs: 120_000 },
  );
  try {
    const setup = await setUp(server);
    // Warm-up: the JIT and the page cache, not measured.
    await round(server, setup, 0);
    const rounds: Round[] = [];
    for (let p = 0; p < PAIRS; p++) {
      for (const n of p % 2 === 0 ? [0, STREAMS] : [STREAMS, 0]) {
        const r = await round(server, setup, n);
        console.log(`${String(n).padStart(5)} streams: ${r.perSecond.toFixed(0)} bookings/s, ${r.cpuPerBooking.toFixed(0)} µs server CPU per booking, p99 ${r.p99} ms, ${r.framesPerStream.toFixed(1)} events per stream, ${r.failed} failed; idle ${r.idleCpu.toFixed(1)} ms CPU/s`);
        rounds.push(r);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const of = (n: number) => rounds.filter((r) => r.streams === n);
    const cpu0 = median(of(0).map((r) => r.cpuPerBooking));
    const cpuN = median(of(STREAMS).map((r) => r.cpuPerBooking));
    const rate0 = median(of(0).map((r) => r.perSecond));
    const rateN = median(of(STREAMS).map((r) => r.perSecond));
    const idle0 = median(of(0).map((r) => r.idleCpu));
    const idleN = median(of(STREAMS).map((r) => r.idleCpu));
    const summary = `idle, ${idleN.toFixed(1)} vs ${idle0.toFixed(1)} ms server CPU a second; with ${STREAMS} streams: CPU per booking ×${(cpuN / cpu0).toFixed(3)} (${cpuN.toFixed(0)} vs ${cpu0.toFixed(0)} µs), bookings/s ×${(rateN / rate0).toFixed(3)} (${rateN.toFixed(0)} vs ${rate0.toFixed(0)})`;
    console.log(summary);
    if (WRITE) {
      const rows = rounds.map((r) => `| ${r.streams} | ${r.perSecond.toFixed(0)} | ${r.cpuPerBooking.toFixed(0)} | ${r.p99} | ${r.framesPerStream.toFixed(1)} | ${r.failed} | ${r.idleCpu.toFixed(1)} |`);
      const text = [
        '## Live feed: what open streams cost the booking path (`npm run bench:feed`)',
        '',
        `${new Date().toISOString().slice(0, 10)}; one embedded server; ${CONNECTIONS} booking connections, ${SECONDS} s a round, rounds alternating; ${STREAMS} streams = half boards (one doctor each), half patient pages. The ceiling is the same server with no stream open, in the same run.`,
        '',
        '| open streams | bookings/s | server CPU µs per booking | p99 ms | events received per stream | failed | idle server CPU ms/s |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `Median: ${summary}.`,
      ].join('\n');
      writeResultsSection(new URL('./RESULTS.md', import.meta.url).pathname, 'feed-load', text);
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
