// Errors a store raises on purpose, the same for both stores, so the service can answer them
// without knowing SQLite's or PostgreSQL's own error shapes.

/** What must be unique and was not. */
export type UniqueKey =
  | 'doctor.id'
  | 'doctor.code'
  | 'idempotency.key'
  | 'account.id'
  | 'account.username'
  | 'session.secretHash'
  | 'apiKey.id'
  | 'apiKey.secretHash'
  | 'displayLink.id'
  | 'displayLink.secretHash'
  | 'setupCode.codeHash';

/** An insert hit a unique key (a doctor code already taken, a repeated idempotency key, …). */
export class DuplicateKeyError extends Error {
  constructor(
    readonly key: UniqueKey,
    readonly value: string,
  ) {
    super(`${key} ${JSON.stringify(value)} already exists`);
    this.name = 'DuplicateKeyError';
  }
}

/** A Transaction used after its work settled, or after one of its calls failed. */
export class TransactionClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransactionClosedError';
  }
}

/**
 * The database could not be reached, or its connection was lost. `outcome` says what became of the
 * transaction: 'not-committed' when it cannot have been committed (it failed before COMMIT was sent),
 * 'unknown' when the connection was lost while COMMIT was on its way: it may have committed or not.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly outcome: 'not-committed' | 'unknown',
    options: { cause: unknown },
  ) {
    super(
      outcome === 'unknown'
        ? 'the connection to the database was lost while committing: the change may or may not have been made'
        : 'the database is unavailable',
      options,
    );
    this.name = 'StoreUnavailableError';
  }
}
