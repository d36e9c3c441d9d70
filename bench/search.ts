// `node --import tsx bench/search.ts [tokensPerDay] [days] [postgres]` (PostgreSQL too when
// DATABASE_URL=postgres://…; `postgres` skips SQLite):
// the answer time of the desk's search (SPEC 10) with `tokensPerDay` tokens (default 3,000) on each
// of `days` days (default 7), all searched at once: a token number, a name prefix, a phone, a patient
// id. Tokens are issued through the desk (engine, events, personal rows) on 10 doctors; the day is
// then searched 50 times per query. The ceiling of the same run: reading one token's row by its id
// (the cheapest indexed read of the store), so the ratio says how many such reads one search costs.
// On PostgreSQL the name prefix is also read the way it was before migration 9 (a LIKE of every name
// of the searched days), alternating with today's read of patient_words, on the same rows.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Actor } from '../src/access/types.ts';
import { searchTerms } from '../src/service/search.ts';
import { createTokenDesk } from '../src/service/token-desk.ts';
import { openStore } from '../src/store/open-store.ts';
import { openPostgresStore } from '../src/store/postgres/postgres-store.ts';
import type { Store } from '../src/store/store.ts';
import { ManualClock } from '../src/time/clock.ts';

const PER_DAY = Number(process.argv[2] ?? 3000);
const DAYS = Number(process.argv[3] ?? 7);
const DOCTORS = 10;
const ROUNDS = 50;
const ADMIN: Actor = { kind: 'account', id: 'bench', name: 'Bench', role: 'admin', doctorIds: 'all' };
const ctx = { actor: ADMIN, requestId: 'bench' };
const FIRST = '2026-03-01';
const dateOf = (i: number) => new Date(Date.parse(`${FIRST}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
const NAMES = ['Ravi', 'Meena', 'Asha', 'José', 'Kavitha', 'Iqbal', 'राम', 'Priya', 'Arjun', 'Lakshmi'];

async function measure(what: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await what();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(ROUNDS / 2)]!, p95: times[Math.floor(ROUNDS * 0.95)]! };
}

/** The name way of the search before migration 9, on PostgreSQL: every name of the days read. */
const OLD_NAME_SQL = `SELECT t.id FROM (SELECT token_id FROM patients WHERE date >= $1 AND date <= $2
  AND (name_folded LIKE $3 OR name_folded LIKE $4)) m JOIN tokens t ON t.id = m.token_id ORDER BY t.date DESC, t.issued_at, t.id LIMIT 50`;
const NEW_NAME_SQL = `SELECT t.id FROM (SELECT token_id FROM patient_words WHERE suffix >= $3 AND suffix < $4
  AND date >= $1 AND date <= $2) m JOIN tokens t ON t.id = m.token_id ORDER BY t.date DESC, t.issued_at, t.id LIMIT 50`;

async function run(label: string, store: Store, raw?: pg.Client): Promise<void> {
  const clock = new ManualClock(new Date(`${FIRST}T07:00:00+05:30`));
  const desk = createTokenDesk({ store, timeZone: 'Asia/Kolkata', clock });
  const started = performance.now();
  const doctors: string[] = [];
  for (let d = 0; d < DOCTORS; d++) {
    const code = `B${String.fromCharCode(65 + d)}`;
    doctors.push((await desk.createDoctor({ name: `Dr ${code}`, department: 'Bench', code }, ctx)).id);
  }
  let n = 0;
  let oneId = '';
  for (let day = 0; day < DAYS; day++) {
    const date = dateOf(day);
    clock.set(new Date(`${date}T07:00:00+05:30`));
    for (const doctorId of doctors) {
      await desk.createSlot({ doctorId, start: `${date}T08:00:00+05:30`, end: `${date}T20:00:00+05:30`, capacity: Math.ceil(PER_DAY / DOCTORS) }, ctx);
    }
    for (let i = 0; i < PER_DAY; i++) {
      n++;
      const patient = { name: `${NAMES[n % NAMES.length]} Patient${n}`, phone: `+91 9${String(100_000_000 + n).slice(-9)}`, id: `MRN-${n}` };
      const t = await desk.issueToken({ doctorId: doctors[i % DOCTORS]!, source: 'WALKIN', patient }, ctx);
      if (n === 5) oneId = t.id;
    }
  }
  const filled = (performance.now() - started) / 1000;
  const date = dateOf(DAYS - 1);
  const queries: [string, string][] = [
    ['token number', 'BC-042'],
    ['name prefix', 'kavi'],
    ['phone', `09${String(100_000_000 + 4321).slice(-9)}`],
    ['patient id', 'mrn-4321'],
  ];
  const ceiling = await measure(() => store.getToken(oneId));
  console.log(`\n${label}: ${n} tokens on ${DAYS} days (${DOCTORS} doctors), issued in ${filled.toFixed(1)} s; ${ROUNDS} searches per query over all ${DAYS} days`);
  console.log(`  ceiling (one token row by id): median ${ceiling.median.toFixed(2)} ms`);
  for (const [what, q] of queries) {
    const found = await desk.searchTokens({ q, date, days: DAYS }, 'all');
    const m = await measure(() => desk.searchTokens({ q, date, days: DAYS }, 'all'));
    const terms = searchTerms(q, 'IN');
    const sql = await measure(() => store.personal.search({ from: dateOf(0), to: date, doctorIds: null, ...terms, limit: 50 }));
    console.log(
      `  ${what.padEnd(13)} "${q}": ${String(found.length).padStart(2)} results, median ${m.median.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms (${(m.median / ceiling.median).toFixed(0)}× the ceiling); its SQL alone median ${sql.median.toFixed(1)} ms`,
    );
  }
  if (raw) {
    const args = [dateOf(0), date];
    const oldArgs = [...args, 'kavi%', '% kavi%'];
    const newArgs = [...args, 'kavi', 'kavj'];
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      for (const [sql, a, into] of [
        [OLD_NAME_SQL, oldArgs, before],
        [NEW_NAME_SQL, newArgs, after],
      ] as const) {
        const t = performance.now();
        await raw.query(sql, [...a]);
        into.push(performance.now() - t);
      }
    }
    const med = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(`  name prefix "kavi", its way alone, alternated ${ROUNDS}×: LIKE over patients (before migration 9) median ${med(before).toFixed(1)} ms; patient_words range median ${med(after).toFixed(1)} ms`);
    for (const [what, sql, a] of [
      ['before', OLD_NAME_SQL, oldArgs],
      ['after', NEW_NAME_SQL, newArgs],
    ] as const) {
      const plan = await raw.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`, [...a]);
      console.log(`  plan ${what}:\n${plan.rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
    }
  }
  await desk.close();
}

if (process.argv[4] !== 'postgres') {
  const sqlite = await openStore({ kind: 'sqlite', file: ':memory:' });
  try {
    await run('SQLite', sqlite);
  } finally {
    await sqlite.close();
  }
}

const url = process.env.DATABASE_URL;
if (url?.startsWith('postgres')) {
  const schema = `opd_bench_search_${randomBytes(4).toString('hex')}`;
  const store = openPostgresStore(url, { schema });
  try {
    await store.migrate();
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    await raw.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    try {
      await run('PostgreSQL', store, raw);
    } finally {
      await raw.end();
    }
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  }
}
