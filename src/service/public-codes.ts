// The code of a patient's own page, `/t/<code>` (SPEC 11): the token's id and an HMAC-SHA256 of it
// under a random server secret, cut to 128 bits. Nothing is written per token (booking stays as fast
// as it was), the code can be made again for any token at any time (a reprinted slip carries the same
// one), and it keeps working after the patient's personal data is erased. Without the secret, a
// token id from the board or the feed opens nothing: guessing the tag is a 1 in 2^128 chance.
// The secret is made once per database (migration 8), by whichever server asks first.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SettingsRepository } from '../store/settings-repo.ts';

export const PUBLIC_CODE_SECRET = 'public-code.secret';
/** Bytes of the HMAC kept in the code: 16 bytes, 128 bits. */
export const TAG_BYTES = 16;
/** Bytes of the random secret: 256 bits. */
const SECRET_BYTES = 32;

/** base64url of the token id, a dot, base64url of the tag (22 characters). */
const CODE_SHAPE = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{22})$/;

export class PublicCodes {
  constructor(private readonly secret: Buffer) {
    if (secret.length < SECRET_BYTES) throw new Error(`the public code secret must be at least ${SECRET_BYTES} bytes`);
  }

  /** The secret of this database, made now when there is none yet. */
  static async open(settings: SettingsRepository, now: number): Promise<PublicCodes> {
    const stored = (await settings.getSetting(PUBLIC_CODE_SECRET)) ?? (await settings.initSetting(PUBLIC_CODE_SECRET, randomBytes(SECRET_BYTES).toString('base64url'), now));
    return new PublicCodes(Buffer.from(stored, 'base64url'));
  }

  private tag(tokenId: string): Buffer {
    return createHmac('sha256', this.secret).update(`opd-patient-page:v1:${tokenId}`).digest().subarray(0, TAG_BYTES);
  }

  codeOf(tokenId: string): string {
    return `${Buffer.from(tokenId, 'utf8').toString('base64url')}.${this.tag(tokenId).toString('base64url')}`;
  }

  /** The token id a code was made for, or null when the code was not made with this secret. */
  tokenIdOf(code: string): string | null {
    const m = CODE_SHAPE.exec(code);
    if (!m) return null;
    const tokenId = Buffer.from(m[1]!, 'base64url').toString('utf8');
    const given = Buffer.from(m[2]!, 'base64url');
    // Only the one canonical writing of each part: the last base64url character has spare bits.
    if (given.length !== TAG_BYTES || given.toString('base64url') !== m[2] || Buffer.from(tokenId, 'utf8').toString('base64url') !== m[1]) return null;
    return timingSafeEqual(given, this.tag(tokenId)) ? tokenId : null;
  }
}
