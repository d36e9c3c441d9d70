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
    `${p50 ? `At 50 connections ${n(p50.result.perSecond)}/s with p99 ${n(p50.result.p99)} ms in this run: throughput goal ${met.postgresRate ? 'met' : 'MISSED'}, p99 goal ${met.postgresP99 ? 'met' : 'MISSED'}; the machine was ${p50.cpu.machine.toFixed(2)} of 2 cores busy. ` : ''}` +
      `${pgBeatsDesk ? 'PostgreSQL with two servers books more per second than the embedded store on the same machine because ' : 'PostgreSQL does what the embedded store fails to: '}` +
      'its commits are flushed by PostgreSQL\'s own processes while Node goes on serving, and concurrent commits ' +
      'share WAL flushes: what fixes 1 and 3 above would give the embedded store. But this case is CPU-bound on ' +
      'the machine as a whole (PostgreSQL, two Node servers and autocannon share 2 cores), with little margin: ' +
      'while other sessions ran their test suites, the same build measured 750–1,450/s and p99 up to 163 ms at ' +
      '50 connections (the "everything else" column counts PostgreSQL and other work together; `perf record -a` ' +
      'in one such run gave PostgreSQL about 30% of the samples). Where its time goes:',
    '',
    '1. **Round trips.** A booking costs 3–4 round trips to PostgreSQL: one message carries BEGIN, the ' +
      'idempotency lock (with a key), the doctor-day lock (SELECT … FOR UPDATE) and the doctor read right after ' +
      'the lock (its policy must be the one committed last); then the catch-up read of the day\'s events when the ' +
      'other server wrote to the day, `append`, COMMIT. (Before: 6–8, with BEGIN, the doctor and the slot each ' +
      'their own round trip; that change alone did not move p99 beyond the noise here.) Each is a socket write ' +
      'and a wake-up of a backend on a 2-core machine that PostgreSQL, two Node servers and autocannon share, and ' +
      `the two servers together spend ${pgCpu} µs of CPU per booking in this run.` +
      ' **Next**: send the catch-up read with the lock (the store would need the cached version) and `append` ' +
      'with COMMIT, for 2 round trips; or route each doctor to one server (item 2).',
    '2. **Both servers write to every doctor-day**, so most bookings first read the other server\'s events for ' +
      'the day and apply them to the cached copy (an extra query, JSON parsing and engine work). A load balancer ' +
      'that sends a doctor (or doctor-day) to one server keeps its cache current; correctness does not need it ' +
      '(the row lock serializes), throughput does.',
    '3. **p99 at 50 connections** is queueing: each server has a pool of 10 connections for 25 HTTP connections, ' +
      'a booking holds one for all its round trips, and the CPU is saturated; fewer round trips shorten both.',
    '',
    '## How to read these numbers',
    '',
    '- The load generator runs on the same 2 cores as the servers (and, for PostgreSQL, the database). The bare ' +
      'Fastify row shows the ceiling this gives: autocannon itself needs most of a core there.',
    '- The machine is shared: other sessions ran test suites (vitest, their own servers) during these runs, ' +
      'which the "everything else" column shows. The same build measured 900–1,570 bookings/s (embedded) and ' +
      '750–1,450/s (PostgreSQL) at 50 connections from one run to the next, depending on that. Read the ' +
      'CPU per request and the bookings per fsync as the steadier figures.',
    '- The open items above were measured on patched copies with this harness, alternating the variants to ' +
      'spread the noise; they are evidence for the direction and size of each change, not a result of this run.',
  ];
}
