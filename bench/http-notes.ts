// What profiling the server under load found, printed after the HTTP numbers in bench/RESULTS.md.
// Kept apart from the harness because it is prose written by hand; the figures in brackets that come
// from the run itself are filled in, the others were measured by hand (see each item) and must be
// re-checked when src/ changes.

import type { Case, Ceiling, Run } from './http.bench.ts';
import { formatNumber } from './table.ts';

interface Measured {
  desk: Case;
  pg: Case;
  bare: Case;
  ceilings: Ceiling[];
  /** Which goals were met in this run. */
  met: { embedded: boolean; postgresRate: boolean; postgresP99: boolean };
}

const n = (x: number) => formatNumber(Math.round(x));
const at = (c: Case, connections: number): Run | undefined => c.runs.find((r) => r.connections === connections);

export function httpNotes({ desk, pg, bare, ceilings, met }: Measured): string[] {
  const d50 = at(desk, 50);
  const d10 = at(desk, 10);
  const p50 = at(pg, 50);
  const b50 = at(bare, 50);
  const perFsync = d50?.fsyncs ? (d50.result.ok / d50.fsyncs).toFixed(1) : 'n/a';
  const cpuPerBooking = d50 ? Math.round((1e6 * d50.cpu.server) / d50.result.perSecond) : Number.NaN;
  const barePerRequest = b50 ? Math.round((1e6 * b50.cpu.server) / b50.result.perSecond) : Number.NaN;
  const written = d50 && d50.cpu.written > 0 ? (d50.cpu.written / d50.result.ok / 1024).toFixed(0) : 'n/a';
  const pgCpu = p50 ? n((1e6 * p50.cpu.server) / p50.result.perSecond) : 'n/a';
  const pgDbCpu = p50 ? n((1e6 * p50.cpu.database) / p50.result.perSecond) : 'n/a';
  const pgBeatsDesk = p50 !== undefined && d50 !== undefined && p50.result.perSecond > d50.result.perSecond;
  const grouped = ceilings.find((c) => c.maxGroup > 1);

  return [
    `## ${met.embedded && met.postgresRate && met.postgresP99 ? 'Where the time goes' : 'Why goals are missed, and what would fix it'} (profiling notes)`,
    '',
    'Found with `node --cpu-prof bin/opd.js serve` under this load (`npm run bench:http -- --cpu-prof DIR` does it), ' +
      'strace, /proc and patched scratch copies of src/ (not committed: src/ belongs to the service). ' +
      `This run: embedded ${d50 ? n(d50.result.perSecond) : 'n/a'} bookings/s at 50 connections (${d10 ? n(d10.result.perSecond) : 'n/a'} at 10), ` +
      `${perFsync} bookings per fsync, about ${Number.isNaN(cpuPerBooking) ? 'n/a' : n(cpuPerBooking)} µs of server CPU per booking ` +
      `(a bare Fastify request: ${Number.isNaN(barePerRequest) ? 'n/a' : n(barePerRequest)} µs) and ${written} KiB written to disk per booking.`,
    '',
    '### Embedded SQLite',
    '',
    '1. **Group commit did not group over HTTP (fixed).** The first version of this benchmark measured 1.0 ' +
      'bookings per fsync: `WriteQueue.runGroup` committed as soon as its queue was empty, and a request\'s whole ' +
      'transaction runs in the microtasks after its own socket callback, so the queue was always empty when a ' +
      'work ended; the synchronous fsync then blocked the event loop (72% of the main thread was inside COMMIT). ' +
      'Now the queue lets the event loop turn once before committing, so the requests that arrived meanwhile join ' +
      `the group (this run: ${perFsync} bookings per fsync). Before → after on this harness: about 1,600 → ` +
      `${d50 ? n(d50.result.perSecond) : 'n/a'} bookings/s at 50 connections, p99 71 → ${d50 ? n(d50.result.p99) : 'n/a'} ms. ` +
      'Acknowledgement still comes only after COMMIT.',
    '2. **Every booking rewrote all 8 slot rows of its day (fixed).** A change now writes only the slot rows its ' +
      `events touch (one for a booking, two when it bumps). Storage ceiling with group commit${grouped ? ` (${n(grouped.perSecond)}/s above)` : ''}: ` +
      'by hand, 9,000/s with 8 slot rows, 14,500/s with 1.',
    '3. **Random keys made each booking write many pages (fixed).** Tokens, slots and doctors were keyed by ' +
      'random UUIDs, so each booking dirtied pages all over the B-trees (43 KiB written per booking after fixes 1 ' +
      'and 2). They are now time-ordered (UUIDv7): new rows land at the end of their B-trees ' +
      `(this run: ${written} KiB per booking).`,
    '4. **Per-request costs (fixed):** `formatIso` called `Intl.DateTimeFormat#formatToParts` twice per instant ' +
      '(about 6% of the server); zone offsets are now cached per quarter hour (checked against Intl across ' +
      'daylight-saving changes). A token\'s estimated time no longer orders its whole slot (`estimateOf`, checked ' +
      'against the full order by the property tests). The doctor\'s code and the day of a slot or token are ' +
      'remembered instead of read per request. Together with 3: about 3,800 → 5,500 bookings/s.',
    '5. **Headroom left: the COMMIT still runs on the main thread.** Writing the group\'s WAL frames and the ' +
      'fsync are synchronous in better-sqlite3, so the next group is not built while one is flushed. Moving the ' +
      'write connection to a worker thread would take that off the event loop.',
    '',
    '### PostgreSQL, two servers',
    '',
    `${p50 ? `At 50 connections ${n(p50.result.perSecond)}/s with p99 ${n(p50.result.p99)} ms in this run: throughput goal ${met.postgresRate ? 'met' : 'MISSED'}, p99 goal ${met.postgresP99 ? 'met' : 'MISSED'}; the machine was ${p50.cpu.machine.toFixed(2)} of 2 cores busy, PostgreSQL ${p50.cpu.database.toFixed(2)} of them (${pgDbCpu} µs per booking) and the two servers ${p50.cpu.server.toFixed(2)} (${pgCpu} µs). ` : ''}` +
      `${pgBeatsDesk ? 'PostgreSQL with two servers books more per second than the embedded store on the same machine because ' : 'PostgreSQL does what the embedded store fails to: '}` +
      'its commits are flushed by PostgreSQL\'s own processes while Node goes on serving, and concurrent commits ' +
      'share WAL flushes. But this case is CPU-bound on the machine as a whole (PostgreSQL, two Node servers and ' +
      'autocannon share 2 cores): in a closed loop of 50 connections the mean latency is 50 ÷ throughput, so p99 ' +
      'follows the CPU each booking costs, and whatever else runs on the machine. The changes below were measured ' +
      'with this harness on copies of the service, before and after alternating, with `--cpu-prof`, `perf record -a` ' +
      'and `--trace-gc`:',
    '',
    '1. **Two round trips per booking (was 3–4).** The first message carries BEGIN, the idempotency lock (with a ' +
      'key), the doctor-day lock (`SELECT … FOR UPDATE` on its `doctor_days` row) and one statement after it that ' +
      'reads the doctor and the day\'s events from the position of the server\'s cached copy: under READ COMMITTED ' +
      'a statement sees everything committed before it started, i.e. before the lock was granted, so the catch-up ' +
      'is exact (the store checks that it read version − position events). The engine runs; the second message ' +
      'carries the append (events, slot and token rows, and with a key its idempotency record) and COMMIT. The ' +
      'answer is sent after COMMIT returned; if any statement fails, COMMIT is not run and the transaction is rolled ' +
      'back. Several statements in one message need the simple query protocol, so the statements are prepared once ' +
      'per connection (SQL `PREPARE`) and run with `EXECUTE` and literal values; a slot or token id of another ' +
      'doctor-day now fails inside the statement (a NOT NULL violation), before COMMIT. Before → after, in ' +
      'alternating runs while nothing else ran (10 connections per server both): the servers\' CPU per booking ' +
      '400–590 → 330–420 µs, PostgreSQL\'s 490–730 → 420–570 µs, p99 at 50 connections 73–86 → 47–67 ms.',
    '2. **Garbage collection pauses.** Under this load a server paused for a scavenge about every 200 ms, 7.7 ms ' +
      'each (median; 90th percentile 13.5 ms, longest 83 ms) and for a few mark-compacts of 14–27 ms: on a saturated ' +
      'machine V8\'s helper threads wait for a core, so each pause holds up the 25 requests in flight on that server. ' +
      'The append now sends the payloads as one JSON array and the rows as JSON objects (`json_array_elements`, which ' +
      'keeps each payload\'s text exactly, and `json_to_recordset`) instead of 18 escaped SQL arrays: the desk allocates ' +
      '43 KiB per booking instead of 54 KiB (measured without HTTP, by V8\'s sampling heap profiler), so scavenges ' +
      'come a fifth less often.',
    '3. **5 connections per server instead of 10.** PostgreSQL\'s CPU per booking grows with the number of busy ' +
      'backends (two desks in one process, 50 bookings in flight: 420 µs with 4 connections each, 500 µs with 10), ' +
      'and with two round trips a booking holds its connection only briefly, so the queue moves to Node\'s pool, ' +
      'which is first come first served. Alternating runs, p99 at 50 connections: pool 3: 35, 45 ms; 4: 46, 40; ' +
      '5: 43, 32, 38, 57; 6: 47, 67; 10: 57, 47, 67.',
    '4. **Where the time goes now.** PostgreSQL (`perf`): executor start-up of each statement, the three event rows ' +
      'of a booking with their three index entries and foreign-key check each, the token and slot upserts, and the ' +
      'WAL flush at COMMIT (fdatasync; concurrent commits share it). The schema decides most of that. The servers: ' +
      'both write to every doctor-day, so almost every booking first applies the other server\'s events to its ' +
      'cached copy (JSON parsing and engine work); then the pg driver\'s protocol parsing and HTTP. In `--cpu-prof` ' +
      'about 45% of the servers\' samples sit in the socket write to PostgreSQL: that is the server being preempted ' +
      'by the backend it just woke, not CPU it uses (its own CPU, from /proc, is the column above).',
    '5. **Next**, if more is needed: a load balancer that routes each doctor (or doctor-day) to one server keeps ' +
      'that server\'s copy current, so a booking catches up on nothing (correctness does not need it: the row lock ' +
      'serializes); fewer indexes or no foreign keys on `events` would cut PostgreSQL\'s share (a schema change); ' +
      'V8 flags for the server process (a larger young generation) would make scavenges rarer.',
    '',
    '## How to read these numbers',
    '',
    '- The load generator runs on the same 2 cores as the servers (and, for PostgreSQL, the database). The bare ' +
      'Fastify row shows the ceiling this gives: autocannon itself needs most of a core there.',
    '- The machine is shared: other sessions ran test suites (vitest, their own servers) during these runs, ' +
      'which the "everything else" column shows. Earlier builds measured 900–1,570 bookings/s (embedded) and ' +
      '750–1,450/s (PostgreSQL) at 50 connections from one run to the next, depending on that; the PostgreSQL build ' +
      'of this run measured 1,345–2,414/s and p99 35–77 ms at 50 connections in one session, the slow runs with ' +
      'other work taking 0.5–0.7 of the 2 cores. Read the CPU per request and the bookings per fsync as the ' +
      'steadier figures.',
    '- The open items above were measured on patched copies with this harness, alternating the variants to ' +
      'spread the noise; they are evidence for the direction and size of each change, not a result of this run.',
  ];
}
