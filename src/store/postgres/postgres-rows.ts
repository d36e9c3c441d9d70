// Rows as PostgreSQL returns them (BIGINT already parsed to numbers, json to objects), and the
// records of the Store interface made from them.

import pg from 'pg';
import type { DoctorDayEvent, Policy } from '../../engine/index.ts';
import type { DoctorRecord, SlotRow, StoredEvent, TokenRow } from '../store.ts';

export interface DoctorPgRow {
  id: string;
  name: string;
  department: string;
  code: string;
  policy: Partial<Policy>;
  created_at: string;
}
export interface SlotPgRow {
  id: string;
  doctor_id: string;
  date: string;
  start: number;
  end: number;
  capacity: number;
  occupied: number;
}
export interface TokenPgRow {
  id: string;
  doctor_id: string;
  date: string;
  number: string;
  slot_id: string | null;
  source: TokenRow['source'];
  status: TokenRow['status'];
  patient: TokenRow['patient'];
  issued_at: number;
  bumps: number;
  skips: number;
}
export interface EventPgRow {
  seq: number;
  doctor_id: string;
  date: string;
  payload: DoctorDayEvent;
}
export interface IdempotencyPgRow {
  key: string;
  request_hash: string;
  response: string;
  created_at: string;
}

export function toDoctor(r: DoctorPgRow): DoctorRecord {
  return { id: r.id, name: r.name, department: r.department, code: r.code, policy: r.policy, createdAt: r.created_at };
}

export function toSlot(r: SlotPgRow): SlotRow {
  return { id: r.id, doctorId: r.doctor_id, date: r.date, start: r.start, end: r.end, capacity: r.capacity, occupied: r.occupied };
}

export function toToken(r: TokenPgRow): TokenRow {
  return {
    id: r.id,
    doctorId: r.doctor_id,
    date: r.date,
    number: r.number,
    slotId: r.slot_id,
    source: r.source,
    status: r.status,
    patient: r.patient,
    issuedAt: r.issued_at,
    bumps: r.bumps,
    skips: r.skips,
  };
}

export function toStoredEvent(r: EventPgRow): StoredEvent {
  return { seq: r.seq, doctorId: r.doctor_id, date: r.date, event: r.payload };
}

/** The constraint a unique violation names, if `error` is one. */
export function uniqueConstraint(error: unknown): string | null {
  return error instanceof pg.DatabaseError && error.code === '23505' ? (error.constraint ?? null) : null;
}
