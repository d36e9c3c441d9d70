// The data step of migration 5 (SPEC 12): a database written before personal data was kept apart
// holds each patient in its TokenIssued payload and in the tokens table. This moves them into the
// `patients` table, replaces each payload's patient by the patient key made under a new secret of its
// doctor-day (the engine folds the day exactly as before: the same patient, the same key), and drops
// the tokens table's patient column. Run once, inside migrate's transaction, on both stores.

import type { MigrationDb } from './migrations.ts';
import { newDaySecret, patientIdentity, patientKey, personalRow, withoutPatients, type Patient } from './personal.ts';

interface OldPatient {
  name?: unknown;
  id?: unknown;
  phone?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function asPatient(p: OldPatient | null | undefined): Patient {
  const out: Patient = { name: text(p?.name) ?? '' };
  const id = text(p?.id);
  const phone = text(p?.phone);
  if (id !== undefined) out.id = id;
  if (phone !== undefined) out.phone = phone;
  return out;
}

async function hasPatientColumn(db: MigrationDb): Promise<boolean> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.all("SELECT name FROM pragma_table_info('tokens') WHERE name = 'patient'")
      : await db.all("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tokens' AND column_name = 'patient'");
  return rows.length > 0;
}

const INSERT_PATIENT = `INSERT INTO patients (token_id, doctor_id, date, name, phone, phone_e164, patient_id, name_folded, id_folded)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING`;

export async function movePersonalData(db: MigrationDb): Promise<void> {
  if (!(await hasPatientColumn(db))) return;
  // The phones stored before this step were already written as E.164 by the desk.
  const tokens = await db.all(`SELECT id, doctor_id, date, ${db.dialect === 'postgres' ? 'patient::text' : 'patient'} AS patient FROM tokens ORDER BY id`);
  for (const t of tokens) {
    const patient = asPatient(JSON.parse(String(t.patient)) as OldPatient);
    const row = personalRow({ tokenId: String(t.id), doctorId: String(t.doctor_id), date: String(t.date) }, patient, patient.phone ?? null);
    await db.run(INSERT_PATIENT, [row.tokenId, row.doctorId, row.date, row.name, row.phone, row.phoneE164, row.patientId, row.nameFolded, row.idFolded]);
  }
  const secrets = new Map<string, string>();
  const payload = db.dialect === 'postgres' ? 'payload::text' : 'payload';
  const issued = await db.all(`SELECT seq, doctor_id, date, token_id, ${payload} AS payload FROM events WHERE type = 'TokenIssued' ORDER BY seq`);
  for (const e of issued) {
    const event = JSON.parse(String(e.payload)) as Record<string, unknown>;
    if (!('patient' in event)) continue;
    const doctorId = String(e.doctor_id);
    const date = String(e.date);
    const patient = asPatient(event.patient as OldPatient);
    const identity = patientIdentity({ patientId: patient.id ?? null, phoneE164: patient.phone ?? null });
    let key: string | undefined;
    if (identity !== null) {
      const day = `${doctorId}\n${date}`;
      let secret = secrets.get(day);
      if (secret === undefined) {
        secret = newDaySecret();
        secrets.set(day, secret);
        await db.run('INSERT INTO day_secrets (doctor_id, date, secret) VALUES (?, ?, ?)', [doctorId, date, secret]);
      }
      key = patientKey(identity, secret);
    }
    // The payload keeps the engine's key order, the patient key where the patient was.
    const rewritten: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(event)) {
      if (k !== 'patient') rewritten[k] = v;
      else if (key !== undefined) rewritten.patientKey = key;
    }
    await db.run(`UPDATE events SET payload = ${db.dialect === 'postgres' ? '?::json' : '?'} WHERE seq = ?`, [JSON.stringify(rewritten), e.seq]);
    // A token whose projection row was missing still keeps its patient.
    const row = personalRow({ tokenId: String(e.token_id), doctorId, date }, patient, patient.phone ?? null);
    await db.run(INSERT_PATIENT, [row.tokenId, row.doctorId, row.date, row.name, row.phone, row.phoneE164, row.patientId, row.nameFolded, row.idFolded]);
  }
  await db.run('ALTER TABLE tokens DROP COLUMN patient');
  // Answers remembered for Idempotency-Keys named patients: they are kept without (a replay joins them back).
  const answers = await db.all(`SELECT key, response FROM idempotency WHERE response LIKE '%"patient"%'`);
  for (const a of answers) {
    await db.run('UPDATE idempotency SET response = ? WHERE key = ?', [JSON.stringify(withoutPatients(JSON.parse(String(a.response)))), a.key]);
  }
}
