// What PostgreSQL's errors say, in the store's words.

import pg from 'pg';
import { StoreUnavailableError } from '../errors.ts';

/** The constraint a unique violation names, if `error` is one. */
export function uniqueConstraint(error: unknown): string | null {
  return error instanceof pg.DatabaseError && error.code === '23505' ? (error.constraint ?? null) : null;
}

/**
 * SQLSTATEs of a server that went away or cannot take the connection: connection exceptions (08…),
 * the server shutting down or terminating the backend (57P01–57P03), too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-3]|53300)$/;
/** Socket errors of a peer that is gone or unreachable. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg's and pg-pool's own messages for a connection that ended, never came, or is unusable. */
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/** Whether `error` means the database is out of reach (as opposed to refusing the statement). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/** `error` as the store reports it: a lost database becomes StoreUnavailableError, anything else is kept. */
export function storeError(error: unknown, outcome: 'not-committed' | 'unknown' = 'not-committed'): unknown {
  if (error instanceof StoreUnavailableError) return error;
  return isConnectionError(error) ? new StoreUnavailableError(outcome, { cause: error }) : error;
}
