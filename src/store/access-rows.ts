// The access tables' rows as both databases return them, and the records made from them. SQLite
// has no boolean (0/1); PostgreSQL's bigint arrives as a number (the store's type parser).

import type { DoctorScope, Role } from '../access/roles.ts';
import type { AccountRecord, ApiKeyRecord, DisplayLinkRecord, SessionRecord } from './access-repo.ts';

/** Both databases compare this, so "Anita" and "anita" are one name on either. */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

/** NULL means all doctors; else the list as JSON text. */
export function scopeColumn(scope: DoctorScope): string | null {
  return scope === 'all' ? null : JSON.stringify(scope);
}

function scopeOf(column: string | null): DoctorScope {
  return column === null ? 'all' : (JSON.parse(column) as string[]);
}

export interface AccountColumns {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  doctor_ids: string | null;
  password_hash: string;
  disabled: number | boolean;
  created_at: number;
  updated_at: number;
}
export interface SessionColumns {
  secret_hash: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  user_agent: string | null;
  address: string | null;
}
export interface ApiKeyColumns {
  id: string;
  name: string;
  role: Role;
  doctor_ids: string | null;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}
export interface DisplayLinkColumns {
  id: string;
  name: string;
  doctor_ids: string | null;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export function toAccount(r: AccountColumns): AccountRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    doctorIds: scopeOf(r.doctor_ids),
    passwordHash: r.password_hash,
    disabled: r.disabled === true || r.disabled === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toSession(r: SessionColumns): SessionRecord {
  return {
    secretHash: r.secret_hash,
    accountId: r.account_id,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    userAgent: r.user_agent,
    address: r.address,
  };
}

const numberOrNull = (v: number | null) => (v === null ? null : Number(v));

export function toApiKey(r: ApiKeyColumns): ApiKeyRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    doctorIds: scopeOf(r.doctor_ids),
    secretHash: r.secret_hash,
    createdAt: Number(r.created_at),
    lastUsedAt: numberOrNull(r.last_used_at),
    revokedAt: numberOrNull(r.revoked_at),
  };
}

export function toDisplayLink(r: DisplayLinkColumns): DisplayLinkRecord {
  return {
    id: r.id,
    name: r.name,
    doctorIds: scopeOf(r.doctor_ids),
    secretHash: r.secret_hash,
    createdAt: Number(r.created_at),
    revokedAt: numberOrNull(r.revoked_at),
  };
}
