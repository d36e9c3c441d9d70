// What PostgreSQL's errors say, in the store's words.

import pg from 'pg';

/** The constraint a unique violation names, if `error` is one. */
export function uniqueConstraint(error: unknown): string | null {
  return error instanceof pg.DatabaseError && error.code === '23505' ? (error.constraint ?? null) : null;
}
