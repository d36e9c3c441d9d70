// Passwords are kept only as a slow salted hash (scrypt, node:crypto); everything else secret that
// this service hands out (session ids, API keys, display-link codes, the set-up code) is ≥ 128 random
// bits and kept only as its SHA-256.
//
// Why two kinds: a password is chosen by a person and guessable, so a stolen table must make each
// guess expensive — that is what the slow, memory-hard hash buys. A random 128-bit secret cannot be
// guessed at any speed (2^128 tries), so a fast hash protects it just as well, and a fast hash can be
// looked up by its value (an index), which a salted slow hash cannot: resolving a session on every
// request stays one indexed read.

import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * N = 2^14, r = 8, p = 1: 16 MiB of memory and about 65–85 ms of CPU per hash on the 2-core build
 * machine (measured in November 2026; 170–230 ms wall-clock while four other test runs shared it).
 * The parameters are written into each hash, so raising them later leaves old hashes verifiable;
 * `needsRehash` tells sign-in to store a new hash when a password hashed with older ones is entered.
 */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 14, r: 8, p: 1 });

export const MIN_PASSWORD_LENGTH = 10;
/** scrypt hashes any length, but a megabyte "password" is an attack on the CPU, not a password. */
export const MAX_PASSWORD_LENGTH = 256;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** A password refused by the rules (too short, too long): the message says what to change. */
export class PasswordRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordRuleError';
  }
}

/** Why this password may not be set, or null. Length in code points, as a person counts characters. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters (this one has ${length})`;
  if (length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem: scrypt needs 128·N·r bytes; Node's default cap (32 MiB) would refuse raised parameters.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * `scrypt$N$r$p$salt$key` (salt and key base64url): the parameters travel with the hash. Refuses a
 * password that breaks the rules (PasswordRuleError).
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new PasswordRuleError(problem);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface Decoded {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const ENCODED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export function decodePasswordHash(encoded: string): Decoded {
  const m = ENCODED.exec(encoded);
  if (!m) throw new Error('not an scrypt password hash');
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) throw new Error('invalid scrypt parameters in a password hash');
  return { params: { N, r, p }, salt: Buffer.from(m[4]!, 'base64url'), key: Buffer.from(m[5]!, 'base64url') };
}

/** Whether `password` is the one hashed in `encoded`, compared in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { params, salt, key } = decodePasswordHash(encoded);
  // A too-long attempt is still hashed (a cut-off length would tell the lengths apart by time), but
  // never matches: no stored password is that long.
  const candidate = await derive(password.slice(0, MAX_PASSWORD_LENGTH * 2), salt, params);
  return candidate.length === key.length && timingSafeEqual(candidate, key) && [...password].length <= MAX_PASSWORD_LENGTH;
}

/** Whether a hash was made with weaker parameters than today's, so sign-in should store a new one. */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const old = decodePasswordHash(encoded).params;
  return old.N < params.N || old.r < params.r || old.p < params.p;
}

// ------------------------------------------------------------------ random secrets

const SECRET_BYTES = 32;

/** A fresh secret: 256 random bits, base64url (43 characters). Shown once; only its hash is kept. */
export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** The stored form of a random secret: SHA-256, base64url. See the file's head for why not scrypt. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Every secret handed out: newSecret()'s 32 bytes as base64url. Anything else is not looked up. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Whether a text has the shape of a secret made by newSecret(): only such a text is hashed and looked up. */
export function isSecretShaped(text: string): boolean {
  return SECRET_SHAPE.test(text);
}

// ------------------------------------------------------------------ as one injectable object

/** What the access service needs of password hashing; tests wrap it to see which path ran. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
  needsRehash(encoded: string): boolean;
}

export function scryptHasher(params: ScryptParams = DEFAULT_SCRYPT): PasswordHasher {
  return {
    hash: (password) => hashPassword(password, params),
    verify: verifyPassword,
    needsRehash: (encoded) => needsRehash(encoded, params),
  };
}
