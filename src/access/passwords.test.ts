import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  decodePasswordHash,
  hashPassword,
  hashSecret,
  needsRehash,
  newSecret,
  PasswordRuleError,
  verifyPassword,
} from './passwords.ts';

// Cheap parameters keep these tests quick on a shared machine; one test uses the real ones.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('passwords', () => {
  it('round-trips with the default parameters, and records them in the hash', async () => {
    const encoded = await hashPassword('correct horse battery', DEFAULT_SCRYPT);
    expect(encoded).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(encoded).not.toContain('correct');
  });

  it('refuses a wrong password, one character longer or shorter, and the empty one', async () => {
    const encoded = await hashPassword('ward-7-night-shift', FAST);
    for (const attempt of ['ward-7-night-shif', 'ward-7-night-shift!', '', 'WARD-7-NIGHT-SHIFT']) {
      expect(await verifyPassword(attempt, encoded), attempt).toBe(false);
    }
  });

  it('salts: the same password hashes differently each time, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here', FAST), hashPassword('same password here', FAST)]);
    expect(a).not.toBe(b);
    expect(decodePasswordHash(a).salt.equals(decodePasswordHash(b).salt)).toBe(false);
    expect(await verifyPassword('same password here', a)).toBe(true);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('verifies with the parameters recorded in the hash, and says when they are weaker than today', async () => {
    const old = await hashPassword('made years ago', FAST);
    expect(decodePasswordHash(old).params).toEqual(FAST);
    expect(await verifyPassword('made years ago', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, FAST)).toBe(false);
  });

  it('refuses passwords shorter than 10 characters (counted as a person counts them) with a clear message', async () => {
    await expect(hashPassword('short', FAST)).rejects.toThrow(new PasswordRuleError('a password needs at least 10 characters (this one has 5)'));
    await expect(hashPassword('123456789', FAST)).rejects.toBeInstanceOf(PasswordRuleError);
    // Nine characters, eighteen UTF-16 units: still too short.
    await expect(hashPassword('😀'.repeat(9), FAST)).rejects.toThrow(/at least 10/);
    expect(await verifyPassword('1234567890', await hashPassword('1234567890', FAST))).toBe(true);
    await expect(hashPassword('x'.repeat(257), FAST)).rejects.toThrow(/at most 256/);
  });

  it('refuses a malformed stored hash instead of comparing against it', async () => {
    await expect(verifyPassword('anything at all', 'plain-text-password')).rejects.toThrow(/not an scrypt/);
    await expect(verifyPassword('anything at all', 'scrypt$1000$8$1$abc$def')).rejects.toThrow(/invalid scrypt parameters/);
  });
});

describe('random secrets', () => {
  it('are 256 bits as base64url, each different', () => {
    const secrets = Array.from({ length: 50 }, newSecret);
    for (const s of secrets) expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(new Set(secrets).size).toBe(50);
  });

  it('are stored as their SHA-256, which is not the secret', () => {
    const secret = newSecret();
    // The SHA-256 of "abc", as published in FIPS 180-2's examples.
    expect(Buffer.from(hashSecret('abc'), 'base64url').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashSecret(secret)).toBe(hashSecret(secret));
    expect(hashSecret(secret)).not.toBe(secret);
  });
});
