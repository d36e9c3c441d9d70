// The tables' rows as both databases return them (snake_case columns), and the records of the Store
// interface made from them. JSON columns arrive as text from SQLite and already parsed from
// PostgreSQL; every one of them holds an object, so a string is always text still to parse.

import type { DoctorDayEvent, Policy } from '../engine/index.ts';
import type { ActorEvent, DoctorRecord, EventActor, IdempotencyRecord, SlotRow, StoredEvent, TokenRow } from './store.ts';

/** A JSON column holding a T: its text (SQLite) or the value (PostgreSQL). */
type Json<T extends object> = T | string;

function json<T extends object>(value: Json<T>): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

export interface DoctorColumns {
  id: string;
  name: string;
  department: string;
  room: string | null;
  code: string;
  policy: Json<Partial<Policy>>;
  created_at: string;
}
export interface SlotColumns {
  id: string;
  doctor_id: string;
  date: string;
  start: number;
  end: number;
  capacity: number;
  occupied: number;
}
export interface TokenColumns {
  id: string;
  doctor_id: string;
  date: string;
  number: string;
  slot_id: string | null;
  source: TokenRow['source'];
  status: TokenRow['status'];
  issued_at: number;
  bumps: number;
  skips: number;
}
export interface EventColumns {
  seq: number;
  doctor_id: string;
  date: string;
  payload: Json<DoctorDayEvent>;
  actor: Json<EventActor> | null;
}
export interface IdempotencyColumns {
  key: string;
  request_hash: string;
  response: string;
  created_at: string;
}

export function toDoctor(r: DoctorColumns): DoctorRecord {
  return { id: r.id, name: r.name, department: r.department, room: r.room ?? null, code: r.code, policy: json(r.policy), createdAt: r.created_at };
}

export function toSlot(r: SlotColumns): SlotRow {
  return { id: r.id, doctorId: r.doctor_id, date: r.date, start: r.start, end: r.end, capacity: r.capacity, occupied: r.occupied };
}

export function toToken(r: TokenColumns): TokenRow {
  return {
    id: r.id,
    doctorId: r.doctor_id,
    date: r.date,
    number: r.number,
    slotId: r.slot_id,
    source: r.source,
    status: r.status,
    issuedAt: r.issued_at,
    bumps: r.bumps,
    skips: r.skips,
  };
}

export function toStoredEvent(r: EventColumns): StoredEvent {
  return { seq: r.seq, doctorId: r.doctor_id, date: r.date, event: json(r.payload), actor: r.actor === null ? null : json(r.actor) };
}

export function toIdempotency(r: IdempotencyColumns): IdempotencyRecord {
  return { key: r.key, requestHash: r.request_hash, response: r.response, createdAt: r.created_at };
}

export interface ActorEventColumns extends EventColumns {
  token_number: string | null;
}

export function toActorEvent(r: ActorEventColumns): ActorEvent {
  return { ...toStoredEvent(r), tokenNumber: r.token_number };
}
