// What writing a new patient's row costs the embedded store, schema step 12 against step 14, in CPU:
// step 12 inserts the row and its insert trigger finds the name's word starts in SQL (and the row
// has one index more, patients_name); step 14 inserts the words, found in TypeScript, in one
// multi-row INSERT, then the row, whose insert trigger finds them under the token and does nothing
// (as SqliteStore.putPersonalAtCommit does). Step 13 wrote the row first and had no such trigger.
//
//   node --import tsx bench/patient-row.ts [--patients N] [--rounds R]
//
// Each round writes N patients (default 20,000; names of three words and a phone, 50 per
// transaction as group commit makes them) on a fresh file (WAL, synchronous=OFF: only the
// statements count, not the disk), once per step, alternating which goes first; prints µs of
// process CPU per patient for each, and their ratio. The ceiling of the same run: the same rows
// inserted into a table with no index, no trigger and no words (what a patient's row costs at least).

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { insertWordsSql, nameWordStarts } from '../src/store/patient-words-written.ts';
import { INSERT_PERSONAL_SQL } from '../src/store/personal-repo.ts';
import { foldName } from '../src/store/personal.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const PATIENTS = Number(option('--patients') ?? 20_000);
const ROUNDS = Number(option('--rounds') ?? 3);
const GROUP = 50;
const NAMES = ['Asha', 'Ravi', 'Meena', 'Arjun', 'Kavya', 'Suresh', 'Priya', 'Imran', 'Lakshmi', 'Vikram'];

type Variant = 'step 12' | 'step 14' | 'ceiling';

function open(variant: Variant): { db: Database.Database; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'opd-patient-row-'));
  const db = new Database(join(dir, 'opd.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  if (variant === 'ceiling') {
    db.exec('CREATE TABLE patients (token_id TEXT, doctor_id TEXT, date TEXT, name TEXT, phone TEXT, phone_e164 TEXT, patient_id TEXT, name_folded TEXT, id_folded TEXT)');
  } else {
    for (const m of MIGRATIONS.filter((m) => m.version <= (variant === 'step 12' ? 12 : 14))) db.exec(m.sqlite);
  }
  return { db, dir };
}

function writePatients(variant: Variant): number {
  const { db, dir } = open(variant);
  const insert = db.prepare(INSERT_PERSONAL_SQL);
  const wordInserts = new Map<number, Database.Statement>();
  const insertWords = (n: number) => wordInserts.get(n) ?? wordInserts.set(n, db.prepare(insertWordsSql(n))).get(n)!;
  const before = process.cpuUsage();
  for (let i = 0; i < PATIENTS; i += GROUP) {
    db.exec('BEGIN IMMEDIATE');
    for (let j = i; j < Math.min(PATIENTS, i + GROUP); j++) {
      const name = `${NAMES[j % 10]} ${NAMES[(j * 7) % 10]}kumar ${j}`;
      const folded = foldName(name);
      const tokenId = `0b1c2d3e-0000-4000-8000-${String(j).padStart(12, '0')}`;
      const date = '2026-03-10';
      if (variant === 'step 14') {
        const words = nameWordStarts(folded);
        insertWords(words.length).run(...words.flatMap((w) => [w, date, tokenId]));
      }
      insert.run(tokenId, `doctor-${j % 100}`, date, name, `+91${7_000_000_000 + j}`, `+91${7_000_000_000 + j}`, null, folded, null);
    }
    db.exec('COMMIT');
  }
  const used = process.cpuUsage(before);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return (used.user + used.system) / PATIENTS;
}

const results: Record<Variant, number[]> = { 'step 12': [], 'step 14': [], ceiling: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order: Variant[] = round % 2 === 0 ? ['step 12', 'step 14', 'ceiling'] : ['step 14', 'step 12', 'ceiling'];
  for (const variant of order) results[variant].push(writePatients(variant));
  const [old, now, floor] = [results['step 12'][round]!, results['step 14'][round]!, results.ceiling[round]!];
  console.log(
    `round ${round + 1}: step 12 ${old.toFixed(1)} µs, step 14 ${now.toFixed(1)} µs CPU per patient (${(now / old).toFixed(2)}×); ` +
      `ceiling ${floor.toFixed(1)} µs (step 12 ${(old / floor).toFixed(2)}×, step 14 ${(now / floor).toFixed(2)}× of it)`,
  );
}
