// Refusals of the access service, with machine codes the API maps to HTTP in its one table
// (src/api/problem.ts): VALIDATION_FAILED 400, UNAUTHENTICATED 401, FORBIDDEN 403, NOT_FOUND 404,
// USERNAME_TAKEN, SETUP_CLOSED and LAST_ADMIN 409, TOO_MANY_REQUESTS 429. A refused call changed nothing.

export type AccessErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'USERNAME_TAKEN'
  | 'SETUP_CLOSED'
  | 'LAST_ADMIN'
  | 'TOO_MANY_REQUESTS';

export class AccessError extends Error {
  constructor(
    readonly code: AccessErrorCode,
    message: string,
    /** For TOO_MANY_REQUESTS: how long until another attempt is counted (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

// Control characters (NUL included) and unpaired surrogates are refused in every name, as in the
// rest of the API's text fields.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A username is typed at a shared desk PC: plain letters, digits and . _ - @, 2–64 of them. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/;

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw new AccessError('VALIDATION_FAILED', 'a username has 2–64 characters: letters a–z, digits and . _ - @, starting with a letter or digit');
  }
}

/** A display name, a key's or a board's name: 1–100 characters of text, no control characters. */
export function checkName(what: string, name: string): void {
  const length = [...name].length;
  if (name.trim() === '' || length > 100) throw new AccessError('VALIDATION_FAILED', `${what} needs 1–100 characters`);
  if (CONTROL.test(name) || LONE_SURROGATE.test(name)) throw new AccessError('VALIDATION_FAILED', `${what} may not contain control characters`);
}
